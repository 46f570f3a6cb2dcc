import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { effectivePermissions } from '../../../domain/organizations/effective-permissions.js';
import {
  organizationCreateSchema,
  organizationUpdateSchema,
  slugSchema,
} from '../../../domain/organizations/organization-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import {
  EffectiveJson,
  effectiveJson,
  OrganizationJson,
  organizationJson,
  PermissionJson,
} from './representations/organization.js';
import { organizationParams, ref } from './params.js';
import { created, found, listOf, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['organizations'];
const status = z.enum(['active', 'suspended']).optional();
const listQuery = z.strictObject({
  ...pageQuery,
  parent: ref('Only sub-organizations of this one (id or slug).').optional(),
  status,
  slug: slugSchema.optional(),
});
// Named at load time: a schema id may be registered once per process, however many apps are built.
const NewOrganization = organizationCreateSchema.meta({ id: 'NewOrganization' });
const OrganizationChanges = organizationUpdateSchema.meta({ id: 'OrganizationChanges' });
const page = { 200: { description: 'A page of organizations.', schema: pageOf(OrganizationJson) } };

/** The organization tree, and what each organization inherits. */
export function organizationRoutes({ organizations }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations',
      summary: 'List organizations',
      tags,
      query: listQuery,
      responses: { ...page, ...problems.notFound },
      handler: ({ principal, query: { limit, cursor, ...filter } }) =>
        pageResult({ limit, cursor }, (p) => organizations.list(principal, filter, p), organizationJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations',
      summary: 'Create an organization (a sub-organization when `parent` is given)',
      tags,
      body: NewOrganization,
      responses: {
        201: { description: 'Created.', schema: OrganizationJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, body }) => {
        const organization = await organizations.create(principal, body);
        return created(`/organizations/${organization.id}`, organizationJson(organization));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization',
      summary: 'Get an organization',
      tags,
      params: organizationParams,
      responses: found(OrganizationJson, 'The organization.'),
      handler: async ({ principal, params }) =>
        ok(organizationJson(await organizations.get(principal, params.organization))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization',
      summary: 'Change an organization (suspend it with `status`)',
      tags,
      params: organizationParams,
      body: OrganizationChanges,
      responses: {
        ...found(OrganizationJson, 'The changed organization.'),
        ...problems.forbidden,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) =>
        ok(organizationJson(await organizations.update(principal, params.organization, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization',
      summary: 'Delete an organization that has no sub-organizations or clients',
      tags,
      params: organizationParams,
      responses: {
        ...removed(),
        ...problems.forbidden,
        ...problems.conflict,
      },
      handler: async ({ principal, params }) => {
        await organizations.remove(principal, params.organization);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/sub-organizations',
      summary: 'List the direct sub-organizations',
      tags,
      params: organizationParams,
      query: z.strictObject({ ...pageQuery, status }),
      responses: { ...page, ...problems.notFound },
      handler: ({ principal, params, query: { limit, cursor, status } }) =>
        pageResult(
          { limit, cursor },
          (p) => organizations.list(principal, { parent: params.organization, status }, p),
          organizationJson,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/effective',
      summary: 'Effective roles and security policies, inherited ones included',
      tags,
      params: organizationParams,
      responses: found(EffectiveJson, 'What applies.'),
      handler: async ({ principal, params }) =>
        ok(effectiveJson(await organizations.effective(principal, params.organization))),
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/permissions',
      summary: 'Effective permissions: every permission an effective role grants, with those roles',
      tags: ['roles'],
      params: organizationParams,
      responses: {
        ...found(listOf(PermissionJson), 'Permissions.'),
      },
      handler: async ({ principal, params }) => {
        const { roles } = await organizations.effective(principal, params.organization);
        return ok({ data: effectivePermissions(roles) });
      },
    }),
  ];
}
