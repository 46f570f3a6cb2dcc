import { z } from 'zod';
import type { SessionRecord } from '../../../domain/ports/sessions.js';
import { deviceLabel } from '../../../domain/sessions/device-label.js';
import type { SessionsAdmin } from '../../../domain/sessions/sessions-admin.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParams, ref } from './params.js';
import { iso, isoOrNull, timestamp } from './representations/timestamps.js';
import { found, listOf, noContent, ok, removed } from './responses.js';

const tags = ['sessions'];
const userParams = z.strictObject({ user: ref('User id (`usr_...`) or email.') });
const sessionParam = z.string().min(1).max(64).meta({ description: 'Session id.' });

export const SessionJson = z
  .object({
    id: z.string(),
    user_id: z.string(),
    organization_id: z
      .string()
      .nullable()
      .meta({ description: 'The organization the sign-in was for; its policy governs the session.' }),
    connection_id: z
      .string()
      .nullable()
      .meta({ description: 'The upstream connection; null for local sign-in.' }),
    amr: z.array(z.string()).meta({ description: 'How the user signed in (RFC 8176).' }),
    device: z.string().meta({ description: 'Browser and system, read from the user agent.' }),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    impersonated_by: z.string().nullable().meta({ description: 'The operator acting as the user, if any.' }),
    created_at: timestamp,
    last_seen_at: timestamp,
    authenticated_at: timestamp,
    expires_at: timestamp.meta({ description: 'The absolute end; the idle timeout may end it sooner.' }),
    idle_expires_at: timestamp.nullable(),
  })
  .meta({ id: 'Session' });

export const sessionJson = (record: SessionRecord): z.output<typeof SessionJson> => {
  const idle = record.timeouts.idleTimeoutSeconds;
  return {
    id: record.id,
    user_id: record.userId,
    organization_id: record.organizationId,
    connection_id: record.connectionId,
    amr: record.amr,
    device: deviceLabel(record.userAgent),
    user_agent: record.userAgent,
    ip: record.ip,
    impersonated_by: record.impersonation?.actorId ?? null,
    created_at: iso(record.createdAt),
    last_seen_at: iso(record.lastSeenAt),
    authenticated_at: iso(record.authenticatedAt),
    expires_at: iso(record.expiresAt),
    idle_expires_at: isoOrNull(idle === null ? null : new Date(record.lastSeenAt.getTime() + idle * 1000)),
  };
};

const Ended = z.object({ ended: z.number().int().meta({ description: 'How many sessions ended.' }) });

/**
 * Live browser sessions, per user and per organization. Ending one signs the browser out,
 * revokes the grants made in it (refresh tokens included) and sends each application with a
 * back-channel logout URI a logout token. A delegated key sees the sessions signed in for its
 * organizations only.
 */
export function sessionRoutes({ sessions }: { sessions: SessionsAdmin }): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/users/:user/sessions',
      summary: "List a user's live sessions, oldest first",
      tags,
      params: userParams,
      responses: found(listOf(SessionJson), 'The sessions the API key may see.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await sessions.listForUser(principal, params.user)).map(sessionJson) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:user/sessions',
      summary: "End all of a user's sessions the API key may see",
      tags,
      params: userParams,
      responses: found(Ended, 'Ended.'),
      handler: async ({ principal, params }) =>
        ok({ ended: await sessions.revokeForUser(principal, params.user) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:user/sessions/:session',
      summary: 'End one session of a user',
      tags,
      params: userParams.extend({ session: sessionParam }),
      responses: removed('Ended.'),
      handler: async ({ principal, params }) => {
        await sessions.revoke(principal, params.session, params.user);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/sessions',
      summary: 'List the live sessions signed in for an organization, oldest first',
      tags,
      params: organizationParams,
      responses: found(listOf(SessionJson), 'The sessions.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await sessions.listForOrganization(principal, params.organization)).map(sessionJson) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/sessions',
      summary: 'End every session signed in for an organization',
      tags,
      params: organizationParams,
      responses: found(Ended, 'Ended.'),
      handler: async ({ principal, params }) =>
        ok({ ended: await sessions.revokeForOrganization(principal, params.organization) }),
    }),
  ];
}
