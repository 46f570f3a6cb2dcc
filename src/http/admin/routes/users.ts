import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { userCreateSchema, userUpdateSchema } from '../../../domain/organizations/user-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { UserJson, userJson } from './representations/user.js';
import { ref } from './params.js';
import { IdentityJson, identityJson } from './representations/identity.js';
import { created, found, listOf, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['users'];
const params = z.strictObject({ user: ref('User id (`usr_...`) or email.') });
const NewUser = userCreateSchema.meta({ id: 'NewUser' });
const UserChanges = userUpdateSchema.meta({ id: 'UserChanges' });

/**
 * Local user accounts. A delegated key sees the users with a membership in its organizations and
 * creates users into them; changing or deleting an account is for environment keys.
 */
export function userRoutes({ users, identities }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/users',
      summary: 'List users',
      tags,
      query: z.strictObject({
        ...pageQuery,
        email: z.string().min(1).max(254).optional().meta({ description: 'Exact email address.' }),
      }),
      responses: { 200: { description: 'A page of users.', schema: pageOf(UserJson) } },
      handler: ({ principal, query: { limit, cursor, ...filter } }) =>
        pageResult({ limit, cursor }, (p) => users.list(principal, filter, p), userJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/users',
      summary: 'Create a user, and a membership when `organization` is given',
      tags,
      body: NewUser,
      responses: {
        201: { description: 'Created.', schema: UserJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, body }) => {
        const user = await users.create(principal, body);
        return created(`/users/${user.id}`, userJson(user));
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/:user',
      summary: 'Get a user',
      tags,
      params,
      responses: found(UserJson, 'The user.'),
      handler: async ({ principal, params }) => ok(userJson(await users.get(principal, params.user))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/users/:user',
      summary: "Change a user's name, email verification or password (environment keys)",
      tags,
      params,
      body: UserChanges,
      responses: { ...found(UserJson, 'The changed user.'), ...problems.forbidden },
      handler: async ({ principal, params, body }) =>
        ok(userJson(await users.update(principal, params.user, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:user',
      summary: 'Delete a user and their memberships (environment keys)',
      tags,
      params,
      responses: { ...removed(), ...problems.forbidden },
      handler: async ({ principal, params }) => {
        await users.remove(principal, params.user);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/:user/identities',
      summary: "List a user's linked upstream accounts (SSO identities)",
      tags,
      params,
      responses: found(listOf(IdentityJson), 'The identities the API key may see.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await identities.list(principal, params.user)).map(identityJson) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:user/identities/:identity',
      summary: 'Unlink an upstream account: the next sign-in through its connection links afresh',
      tags,
      params: params.extend({ identity: z.string().min(1).max(64).meta({ description: 'Identity id.' }) }),
      responses: removed('Unlinked.'),
      handler: async ({ principal, params }) => {
        await identities.unlink(principal, params.user, params.identity);
        return noContent();
      },
    }),
  ];
}
