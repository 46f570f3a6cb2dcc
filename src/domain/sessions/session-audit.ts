import type { SessionEndReason, SessionLimit, SessionRecord } from '../ports/sessions.js';
import type { Actor, AuditEntry } from '../ports/tenancy.js';

/** Sessions Gatehouse ends by itself (limits, timeouts, a directory's deprovisioning). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'sessions' };

/**
 * Ends worth an audit record of their own: someone's decision or the session limit. Expiry and
 * idle timeouts are the session running its course, and the ends that follow from another
 * recorded change (a directory removing access, an impersonation ending) are told by that
 * change's record: those are logged only.
 */
const END_ACTIONS: Partial<Record<SessionEndReason, string>> = {
  revoked: 'session.revoke',
  limit: 'session.ended_oldest',
  logout: 'session.logout',
  upstream_logout: 'session.logout',
};

/** What an audit record says about a session: who, for which organization, since when; no secrets. */
export const sessionSnapshot = (record: SessionRecord) => ({
  user_id: record.userId,
  organization_id: record.organizationId,
  connection_id: record.connectionId,
  created_at: record.createdAt.toISOString(),
  expires_at: record.expiresAt.toISOString(),
});

export function sessionEndEntry(
  record: SessionRecord,
  reason: SessionEndReason,
  actor: Actor,
): AuditEntry | undefined {
  const action = END_ACTIONS[reason];
  if (!action) return undefined;
  return {
    organizationId: record.organizationId,
    actor,
    action,
    targetType: 'session',
    targetId: record.id,
    before: sessionSnapshot(record),
    after: { reason },
  };
}

/** A sign-in refused because the user already has as many sessions as the policy allows. */
export function limitExceededEntry(
  userId: string,
  organizationId: string | null,
  limit: SessionLimit,
  live: number,
): AuditEntry {
  return {
    organizationId,
    actor: { type: 'user', id: userId },
    action: 'session.limit_exceeded',
    targetType: 'user',
    targetId: userId,
    before: null,
    after: { concurrent_sessions: limit.max, session_limit_action: limit.action, live_sessions: live },
  };
}
