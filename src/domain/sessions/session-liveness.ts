import type { SessionTimeouts } from '../ports/sessions.js';

/**
 * Activity is written at most once per interval (a busy user does not rewrite the record on
 * every request); the idle clock allows for that lag, so a session never ends before it has
 * really been idle for its timeout.
 */
export const TOUCH_INTERVAL_MS = 60_000;

/** What a session's limits are measured against. */
export interface SessionTerms {
  expiresAt: Date;
  lastSeenAt: Date;
  authenticatedAt: Date;
  timeouts: SessionTimeouts;
}

export type SessionState = 'live' | 'idle' | 'expired';

export function sessionState(terms: SessionTerms, now: Date): SessionState {
  if (now.getTime() >= terms.expiresAt.getTime()) return 'expired';
  const idle = terms.timeouts.idleTimeoutSeconds;
  if (idle !== null && now.getTime() - terms.lastSeenAt.getTime() > idle * 1000 + TOUCH_INTERVAL_MS)
    return 'idle';
  return 'live';
}

/**
 * How long the session may live from `now` if nothing else happens: to its absolute end, or
 * through one idle timeout. Stored state (the record, oidc-provider's session and its cookie)
 * gets this lifetime, renewed with activity.
 */
export function remainingMs(terms: Pick<SessionTerms, 'expiresAt' | 'timeouts'>, now: Date): number {
  const toEnd = terms.expiresAt.getTime() - now.getTime();
  const idle = terms.timeouts.idleTimeoutSeconds;
  const toIdle = idle === null ? Infinity : idle * 1000 + TOUCH_INTERVAL_MS;
  return Math.max(1000, Math.min(toEnd, toIdle));
}

/** Whether the policy asks the user to sign in again (`reauthentication_interval`). */
export function reauthenticationDue(terms: SessionTerms, now: Date): boolean {
  const every = terms.timeouts.reauthenticationSeconds;
  return every !== null && now.getTime() - terms.authenticatedAt.getTime() >= every * 1000;
}

export const touchDue = (terms: SessionTerms, now: Date): boolean =>
  now.getTime() - terms.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS;
