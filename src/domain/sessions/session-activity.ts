import type { SessionRecord, SessionRegistry, Sessions } from '../ports/sessions.js';
import { remainingMs, sessionState, touchDue, type SessionTerms } from './session-liveness.js';

export interface SessionActivityDeps {
  registry: Pick<SessionRegistry, 'get' | 'touch' | 'findReservation'>;
  sessions: Pick<Sessions, 'end'>;
  now: () => Date;
}

/**
 * The absolute and idle limits, held on every instance: each request that uses a browser session
 * asks here first. A session past its end, idle too long, or unknown to the registry (ended
 * elsewhere, or never admitted) is ended before the request goes on, so the request meets no
 * session and the user signs in again.
 */
export function createSessionActivity(deps: SessionActivityDeps) {
  return {
    /** The session's record when it may go on (activity recorded); undefined once ended. */
    async check(sessionId: string, userId: string): Promise<SessionRecord | undefined> {
      const now = deps.now();
      const record = await deps.registry.get(sessionId);
      const state = record?.userId === userId ? sessionState(record, now) : 'expired';
      if (!record || state !== 'live') {
        await deps.sessions.end(sessionId, state === 'idle' ? 'idle' : 'expired');
        return undefined;
      }
      if (touchDue(record, now) && (await deps.registry.touch(sessionId, now, remainingMs(record, now)))) {
        return { ...record, lastSeenAt: now };
      }
      return record;
    },

    /** The terms a session a pending sign-in will save runs under (its first store lifetime). */
    async reservedTerms(interactionUid: string): Promise<SessionTerms | undefined> {
      const reservation = await deps.registry.findReservation(interactionUid);
      if (!reservation) return undefined;
      return {
        expiresAt: new Date(reservation.at.getTime() + reservation.lifetimeSeconds * 1000),
        lastSeenAt: reservation.at,
        authenticatedAt: reservation.at,
        timeouts: reservation.timeouts,
      };
    },
  };
}
export type SessionActivity = ReturnType<typeof createSessionActivity>;
