import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import {
  membershipCreateSchema,
  membershipStatusSchema,
  membershipUpdateSchema,
} from '../../../domain/organizations/membership-input.js';
import { roleNameSchema } from '../../../domain/organizations/organization-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { MembershipJson, membershipJson } from './representations/membership.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['memberships'];
const params = z.strictObject({ ...organizationParam, user: ref('User id (`usr_...`) or email.') });
const NewMembership = membershipCreateSchema.meta({ id: 'NewMembership' });
const MembershipChanges = membershipUpdateSchema.meta({ id: 'MembershipChanges' });

/** Who belongs to an organization, and with which roles. */
export function membershipRoutes({ memberships }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/memberships',
      summary: 'List memberships',
      tags,
      params: organizationParams,
      query: z.strictObject({
        ...pageQuery,
        status: membershipStatusSchema.optional(),
        role: roleNameSchema.optional().meta({ description: 'Only memberships holding this role.' }),
      }),
      responses: found(pageOf(MembershipJson), 'A page.'),
      handler: ({ principal, params, query: { limit, cursor, ...filter } }) =>
        pageResult(
          { limit, cursor },
          (p) => memberships.list(principal, params.organization, filter, p),
          membershipJson,
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/memberships',
      summary: 'Add an existing user (by `user_id` or `email`)',
      tags,
      params: organizationParams,
      body: NewMembership,
      responses: {
        201: { description: 'Created.', schema: MembershipJson },
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const membership = await memberships.add(principal, params.organization, body);
        const path = `/organizations/${membership.organizationId}/memberships/${membership.userId}`;
        return created(path, membershipJson(membership));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/memberships/:user',
      summary: 'Get a membership',
      tags,
      params,
      responses: found(MembershipJson, 'The membership.'),
      handler: async ({ principal, params }) =>
        ok(membershipJson(await memberships.get(principal, params.organization, params.user))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization/memberships/:user',
      summary: "Change a membership's roles or status",
      tags,
      params,
      body: MembershipChanges,
      responses: { ...found(MembershipJson, 'The changed membership.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(membershipJson(await memberships.update(principal, params.organization, params.user, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/memberships/:user',
      summary: 'Remove a user from the organization',
      tags,
      params,
      responses: removed('Removed.'),
      handler: async ({ principal, params }) => {
        await memberships.remove(principal, params.organization, params.user);
        return noContent();
      },
    }),
  ];
}
