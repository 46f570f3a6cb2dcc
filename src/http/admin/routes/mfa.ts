import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { ref } from './params.js';
import { UserMfaJson, userMfaJson } from './representations/mfa-factor.js';
import { found, noContent, ok, problems, removed } from './responses.js';

const tags = ['mfa'];
const params = z.strictObject({ user: ref('User id (`usr_...`) or email.') });

/**
 * A user's second factors, for the help desk: see them, remove a lost one, or reset them all. A
 * delegated key changes them only for users whose every organization lies in its subtree (403).
 */
export function mfaRoutes({ mfa }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/users/:user/mfa',
      summary: "List a user's second factors (never their secrets) and unused recovery codes",
      tags,
      params,
      responses: found(UserMfaJson, "The user's factors."),
      handler: async ({ principal, params }) => ok(userMfaJson(await mfa.list(principal, params.user))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:user/mfa/factors/:factor',
      summary: "Remove one of a user's second factors, e.g. a lost phone",
      tags,
      params: params.extend({ factor: z.string().min(1).max(64).meta({ description: 'Factor id.' }) }),
      responses: { ...removed('Removed.'), ...problems.forbidden },
      handler: async ({ principal, params }) => {
        await mfa.remove(principal, params.user, params.factor);
        return noContent();
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/:user/mfa/reset',
      summary:
        "Remove all of a user's second factors and recovery codes; they enrol again where policy requires",
      tags,
      params,
      responses: { 204: { description: 'Reset.' }, ...problems.notFound, ...problems.forbidden },
      handler: async ({ principal, params }) => {
        await mfa.reset(principal, params.user);
        return noContent();
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/users/:user/unlock',
      summary:
        'Lift the wait that wrong passwords or codes put on a user (per account; waits per address stay)',
      tags,
      params,
      responses: { 204: { description: 'Unlocked.' }, ...problems.notFound, ...problems.forbidden },
      handler: async ({ principal, params }) => {
        await mfa.unlock(principal, params.user);
        return noContent();
      },
    }),
  ];
}
