import type { AuditRepository } from '../ports/tenancy.js';
import type {
  SessionImpersonation,
  SessionLimit,
  SessionRecord,
  SessionRegistry,
  SessionReservation,
  Sessions,
  UpstreamSession,
} from '../ports/sessions.js';
import { limitExceededEntry } from './session-audit.js';
import { remainingMs, sessionState } from './session-liveness.js';
import type { SessionPolicies } from './session-policy.js';
import type { SessionLog } from './sessions-service.js';

/** Long enough to get from the last sign-in page back to the authorization endpoint. */
export const RESERVATION_TTL_MS = 10 * 60_000;

const UNLIMITED: SessionLimit = { max: Number.MAX_SAFE_INTEGER, action: 'end_oldest' };

/** A sign-in that proved who the user is, as the interaction knows it. */
export interface ProvenSignIn {
  /** The interaction's uid: the reservation's key until the session is saved. */
  interactionUid: string;
  userId: string;
  /** undefined: not decided yet (the user picks it next). */
  organizationId: string | null | undefined;
  connectionId: string | null;
  upstream?: UpstreamSession | undefined;
  impersonation?: SessionImpersonation | undefined;
  amr: string[];
  /** The browser's current session, if it has one (a re-authentication keeps it). */
  browserSessionId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export type AdmissionResult = { admitted: true } | { admitted: false; description: string };

export interface SessionAdmissionDeps {
  registry: SessionRegistry;
  sessions: Pick<Sessions, 'end'>;
  policies: SessionPolicies;
  audit: Pick<AuditRepository, 'append'>;
  now: () => Date;
  log: SessionLog;
}

const refusal = (limit: SessionLimit): AdmissionResult => ({
  admitted: false,
  description:
    `You are already signed in on ${limit.max} device${limit.max === 1 ? '' : 's'}, the most your ` +
    'organization allows. Sign out on one of them, then try again.',
});

function started(id: string, reservation: SessionReservation, now: Date): SessionRecord {
  const { key: _key, at, lifetimeSeconds, ...rest } = reservation;
  const end = at.getTime() + lifetimeSeconds * 1000;
  // A support operator's session ends with the impersonation, whatever the policy would allow.
  const impersonationEnd = reservation.impersonation?.expiresAt.getTime() ?? end;
  return {
    ...rest,
    id,
    createdAt: at,
    lastSeenAt: now,
    authenticatedAt: at,
    expiresAt: new Date(Math.min(end, impersonationEnd)),
  };
}

/** The same session signed in again: its start and end stay, its proof is the new one. */
function reauthenticated(record: SessionRecord, reservation: SessionReservation, now: Date): SessionRecord {
  const adopts = record.organizationId === null && reservation.organizationId !== null;
  return {
    ...record,
    connectionId: reservation.connectionId,
    upstream: reservation.upstream ?? record.upstream,
    impersonation: reservation.impersonation ?? record.impersonation,
    amr: reservation.amr,
    authenticatedAt: reservation.at,
    lastSeenAt: now,
    ip: reservation.ip,
    userAgent: reservation.userAgent,
    ...(adopts ? adopted(record, reservation.organizationId!, reservation) : {}),
  };
}

/** A session settling its organization takes that organization's policy, never extending its end. */
function adopted(
  record: SessionRecord,
  organizationId: string,
  policy: Pick<SessionReservation, 'lifetimeSeconds' | 'timeouts'>,
) {
  const end = record.createdAt.getTime() + policy.lifetimeSeconds * 1000;
  return {
    organizationId,
    timeouts: policy.timeouts,
    expiresAt: new Date(Math.min(record.expiresAt.getTime(), end)),
  };
}

/**
 * The concurrent-session limit, applied where a sign-in has proven the user and before any code
 * is issued: `refuse` turns the sign-in away, `end_oldest` ends the user's oldest sessions to
 * make room. The browser session is saved by oidc-provider only after that, so the sign-in holds
 * its place as a reservation (keyed by the interaction) until `bind` names the session.
 */
export function createSessionAdmission(deps: SessionAdmissionDeps) {
  const endEvicted = async (ids: string[]) => {
    await Promise.all(ids.map((id) => deps.sessions.end(id, 'limit')));
  };
  const refuse = async (userId: string, organizationId: string | null, limit: SessionLimit, live: number) => {
    await deps.audit.append(limitExceededEntry(userId, organizationId, limit, live));
    deps.log.info(
      { event: 'session.limit_exceeded', userId, organizationId },
      'sign-in refused: session limit',
    );
    return refusal(limit);
  };

  return {
    async reserve(signIn: ProvenSignIn): Promise<AdmissionResult> {
      const now = deps.now();
      const organizationId = signIn.organizationId ?? null;
      const policy = await deps.policies(organizationId);
      const current = signIn.browserSessionId ? await deps.registry.get(signIn.browserSessionId) : undefined;
      const reauthenticates = current?.userId === signIn.userId && sessionState(current, now) === 'live';
      const reservation: SessionReservation = {
        key: signIn.interactionUid,
        userId: signIn.userId,
        organizationId,
        connectionId: signIn.connectionId,
        upstream: signIn.upstream ?? null,
        impersonation: signIn.impersonation ?? null,
        amr: signIn.amr,
        at: now,
        lifetimeSeconds: policy.lifetimeSeconds,
        timeouts: policy.timeouts,
        ip: signIn.ip,
        userAgent: signIn.userAgent,
      };
      // Signing in again within a live session takes no new place; a support operator acting as
      // the user never ends the user's own sessions nor is turned away by them.
      const limit = reauthenticates ? null : signIn.impersonation ? UNLIMITED : policy.limit;
      const admission = await deps.registry.reserve(reservation, limit, RESERVATION_TTL_MS);
      if (!admission.admitted) return refuse(signIn.userId, organizationId, policy.limit, admission.live);
      await endEvicted(admission.evicted);
      return { admitted: true };
    },

    /**
     * Names the saved session of a finished login (oidc-provider's uid). Later steps of the same
     * interaction resume with the same login and find the record made. A login no reservation
     * admitted is ended at once, as is one whose place a later sign-in took meanwhile.
     */
    async bind(
      interactionUid: string,
      sessionId: string,
      userId: string,
    ): Promise<SessionRecord | undefined> {
      const now = deps.now();
      const reservation = await deps.registry.findReservation(interactionUid);
      const current = await deps.registry.get(sessionId);
      if (!reservation || reservation.userId !== userId) {
        if (current?.userId === userId) return current;
        // Another account's reservation: oidc-provider first asks to end the browser's other session.
        if (!reservation) await deps.sessions.end(sessionId, 'expired');
        return undefined;
      }
      const record =
        current?.userId === userId
          ? reauthenticated(current, reservation, now)
          : started(sessionId, reservation, now);
      if (await deps.registry.bind(interactionUid, record, remainingMs(record, now))) return record;
      await deps.sessions.end(sessionId, 'limit');
      return undefined;
    },

    /**
     * A session whose sign-in left the organization to pick (the user has several) takes the
     * picked organization's policy: its limit now, its timeouts from now on. Refused, the
     * session's record goes (the next request with it ends it) and the pick is refused.
     */
    async settleOrganization(sessionId: string, organizationId: string | null): Promise<AdmissionResult> {
      const record = await deps.registry.get(sessionId);
      if (!record || record.organizationId !== null || organizationId === null) return { admitted: true };
      const policy = await deps.policies(organizationId);
      const admission = await deps.registry.admit(record.userId, record.id, policy.limit);
      if (!admission.admitted) {
        await deps.registry.remove(record.id);
        return refuse(record.userId, organizationId, policy.limit, admission.live);
      }
      await endEvicted(admission.evicted);
      const settled = { ...record, ...adopted(record, organizationId, policy) };
      await deps.registry.update(settled, remainingMs(settled, deps.now()));
      return { admitted: true };
    },
  };
}
export type SessionAdmission = ReturnType<typeof createSessionAdmission>;
