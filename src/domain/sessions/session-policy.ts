import { effectivePolicies, type SecurityPolicies } from '../organizations/security-policies.js';
import type { SessionLimit, SessionTimeouts } from '../ports/sessions.js';
import type { Database } from '../ports/repositories.js';

/** What an organization's security policy says about its sessions. */
export interface SessionPolicy {
  /** Absolute lifetime (`session_timeout`). */
  lifetimeSeconds: number;
  timeouts: SessionTimeouts;
  /** `concurrent_sessions` and `session_limit_action`. */
  limit: SessionLimit;
}

const HOUR = 3600;

/** 8 hours, 3 sessions per user ending the oldest, no idle timeout, no re-authentication in between. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  lifetimeSeconds: 8 * HOUR,
  timeouts: { idleTimeoutSeconds: null, reauthenticationSeconds: null },
  limit: { max: 3, action: 'end_oldest' },
};

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: HOUR, d: 24 * HOUR };

/** `30m`, `8h`, `7d` (the shape security-policies.ts validates) in seconds. */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

const optionalSeconds = (duration: string | undefined) =>
  duration === undefined ? null : durationSeconds(duration);

/** The session part of effective policy values, the defaults filling what nobody set. */
export function sessionPolicyFrom(values: Partial<SecurityPolicies>): SessionPolicy {
  return {
    lifetimeSeconds:
      values.session_timeout === undefined
        ? DEFAULT_SESSION_POLICY.lifetimeSeconds
        : durationSeconds(values.session_timeout),
    timeouts: {
      idleTimeoutSeconds: optionalSeconds(values.idle_timeout),
      reauthenticationSeconds: optionalSeconds(values.reauthentication_interval),
    },
    limit: {
      max: values.concurrent_sessions ?? DEFAULT_SESSION_POLICY.limit.max,
      action: values.session_limit_action ?? DEFAULT_SESSION_POLICY.limit.action,
    },
  };
}

/**
 * The policy of a session: that of the organization its sign-in was for, inherited down the
 * organization tree (locked keys winning); the defaults for a sign-in without an organization.
 */
export function createSessionPolicies(db: Pick<Database, 'organizations'>) {
  return async (organizationId: string | null): Promise<SessionPolicy> => {
    if (organizationId === null) return DEFAULT_SESSION_POLICY;
    const chain = await db.organizations.chain(organizationId);
    return sessionPolicyFrom(effectivePolicies(chain).values);
  };
}
export type SessionPolicies = ReturnType<typeof createSessionPolicies>;
