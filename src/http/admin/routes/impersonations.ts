import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import {
  ImpersonationJson,
  impersonationJson,
  ImpersonationTicketJson,
  NewImpersonation,
  RequestedImpersonationJson,
} from './impersonation-json.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, ok, pageResult, problems } from './responses.js';

const tags = ['impersonations'];
const COLLECTION = '/organizations/:organization/impersonations';
const params = z.strictObject({
  ...organizationParam,
  impersonation: ref('The impersonation id (`imp_...`).'),
});
const decided = {
  ...found(ImpersonationJson, 'The impersonation now.'),
  ...problems.forbidden,
  409: { description: '`impersonation_state`: it is no longer awaiting a decision.' },
};

/**
 * Support impersonation as privileged access: a platform operator (environment key) requests it,
 * an organization admin (the organization's key) approves or denies it when the organization's
 * policy asks for approval, either side revokes it; every step is in the audit log.
 */
export function impersonationRoutes({ impersonations }: AdminServices): AdminRoute[] {
  const decide = (verdict: 'approve' | 'deny', summary: string) =>
    defineRoute({
      method: 'POST',
      path: `${COLLECTION}/:impersonation/${verdict}`,
      summary,
      tags,
      params,
      responses: decided,
      handler: async ({ principal, params }) =>
        ok(
          impersonationJson(
            await impersonations.decide(principal, params.organization, params.impersonation, verdict),
          ),
        ),
    });
  return [
    defineRoute({
      method: 'GET',
      path: COLLECTION,
      summary: "List the organization's impersonation requests",
      tags,
      params: organizationParams,
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of requests.', schema: pageOf(ImpersonationJson) },
        ...problems.notFound,
      },
      handler: ({ principal, params, query }) =>
        pageResult(
          query,
          (page) => impersonations.list(principal, params.organization, page),
          impersonationJson,
        ),
    }),
    defineRoute({
      method: 'POST',
      path: COLLECTION,
      summary: 'Request to act as a member (platform operators); `handle` is shown this once',
      tags,
      params: organizationParams,
      body: NewImpersonation,
      responses: {
        201: {
          description: 'Requested (or approved at once when the policy asks no approval).',
          schema: RequestedImpersonationJson,
        },
        ...problems.forbidden,
        ...problems.notFound,
        422: {
          description:
            '`impersonation_not_allowed` (the organization policy), `duration_too_long` or `not_a_member`.',
        },
      },
      handler: async ({ principal, params, body }) => {
        const { impersonation, handle } = await impersonations.request(principal, params.organization, body);
        return created(`/organizations/${impersonation.organizationId}/impersonations/${impersonation.id}`, {
          ...impersonationJson(impersonation),
          handle,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${COLLECTION}/:impersonation`,
      summary: 'Get an impersonation request (never its handle)',
      tags,
      params,
      responses: found(ImpersonationJson, 'The request.'),
      handler: async ({ principal, params }) =>
        ok(impersonationJson(await impersonations.get(principal, params.organization, params.impersonation))),
    }),
    decide('approve', 'Approve a request (an admin of the organization, never its operator)'),
    decide('deny', 'Deny a request (an admin of the organization, never its operator)'),
    defineRoute({
      method: 'POST',
      path: `${COLLECTION}/:impersonation/revoke`,
      summary: 'Revoke: its tokens introspect inactive, exchanges and sessions end at once',
      tags,
      params,
      responses: { ...found(ImpersonationJson, 'The impersonation now.'), ...problems.conflict },
      handler: async ({ principal, params }) =>
        ok(
          impersonationJson(
            await impersonations.revoke(principal, params.organization, params.impersonation),
          ),
        ),
    }),
    defineRoute({
      method: 'POST',
      path: `${COLLECTION}/:impersonation/tickets`,
      summary: 'A single-use link that opens a browser session as the user (the operator only)',
      tags,
      params,
      responses: {
        201: { description: 'Open `url` within a minute.', schema: ImpersonationTicketJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
      },
      handler: async ({ principal, params, ctx }) => {
        const { ticket, expiresAt } = await impersonations.ticket(
          principal,
          params.organization,
          params.impersonation,
        );
        const url = new URL(`/impersonation/${encodeURIComponent(params.impersonation)}/start`, ctx.href);
        url.searchParams.set('ticket', ticket);
        return { status: 201, body: { url: url.href, expires_at: expiresAt.toISOString() } };
      },
    }),
  ];
}
