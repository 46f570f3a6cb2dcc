import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { roleCreateSchema, roleUpdateSchema } from '../../../domain/organizations/role-input.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { RoleJson, roleJson } from './representations/role.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['roles'];
const params = z.strictObject({ ...organizationParam, role: ref('Role name.') });
const NewRole = roleCreateSchema.meta({ id: 'NewRole' });
const RoleChanges = roleUpdateSchema.meta({ id: 'RoleChanges' });

/** Roles an organization defines itself; inherited ones show in `/effective`. */
export function roleRoutes({ roles }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/roles',
      summary: "List the organization's own roles",
      tags,
      params: organizationParams,
      responses: found(listOf(RoleJson), 'Roles.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await roles.list(principal, params.organization)).map(roleJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/roles',
      summary: 'Define a role',
      tags,
      params: organizationParams,
      body: NewRole,
      responses: {
        201: { description: 'Created.', schema: RoleJson },
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const role = await roles.create(principal, params.organization, body);
        return created(`/organizations/${role.organizationId}/roles/${segment(role.name)}`, roleJson(role));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/roles/:role',
      summary: 'Get a role',
      tags,
      params,
      responses: found(RoleJson, 'The role.'),
      handler: async ({ principal, params }) =>
        ok(roleJson(await roles.get(principal, params.organization, params.role))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization/roles/:role',
      summary: 'Change a role',
      tags,
      params,
      body: RoleChanges,
      responses: { ...found(RoleJson, 'The changed role.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(roleJson(await roles.update(principal, params.organization, params.role, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/roles/:role',
      summary: 'Delete a role (memberships lose it)',
      tags,
      params,
      responses: { ...removed(), ...problems.conflict },
      handler: async ({ principal, params }) => {
        await roles.remove(principal, params.organization, params.role);
        return noContent();
      },
    }),
  ];
}
