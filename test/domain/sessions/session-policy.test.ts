import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_SESSION_POLICY,
  createSessionPolicies,
  durationSeconds,
  sessionPolicyFrom,
} from '../../../src/domain/sessions/session-policy.js';
import { securityPoliciesSchema } from '../../../src/domain/organizations/security-policies.js';

const organizations = (chains: Record<string, Array<{ id: string; securityPolicies: object }>>) => ({
  organizations: { chain: async (id: string) => chains[id] ?? [] } as never,
});

describe('session policy', () => {
  it('reads durations in seconds', () => {
    expect([
      durationSeconds('45s'),
      durationSeconds('30m'),
      durationSeconds('8h'),
      durationSeconds('7d'),
    ]).toEqual([45, 1800, 28_800, 604_800]);
    expect(() => durationSeconds('8 hours')).toThrow();
  });

  it('defaults to 8 hours, 3 sessions ending the oldest, no idle timeout, no re-authentication', () => {
    expect(sessionPolicyFrom({})).toEqual(DEFAULT_SESSION_POLICY);
    expect(DEFAULT_SESSION_POLICY).toEqual({
      lifetimeSeconds: 28_800,
      timeouts: { idleTimeoutSeconds: null, reauthenticationSeconds: null },
      limit: { max: 3, action: 'end_oldest' },
    });
  });

  it('takes every session key of the effective policy', () => {
    expect(
      sessionPolicyFrom({
        session_timeout: '4h',
        idle_timeout: '30m',
        reauthentication_interval: '1h',
        concurrent_sessions: 1,
        session_limit_action: 'refuse',
      }),
    ).toEqual({
      lifetimeSeconds: 14_400,
      timeouts: { idleTimeoutSeconds: 1800, reauthenticationSeconds: 3600 },
      limit: { max: 1, action: 'refuse' },
    });
  });

  it('validates the new keys with the rest of the security policy', () => {
    const parse = (value: object) => securityPoliciesSchema.safeParse(value).success;
    expect(parse({ session_limit_action: 'refuse', reauthentication_interval: '12h' })).toBe(true);
    expect(parse({ session_limit_action: 'end_newest' })).toBe(false);
    expect(parse({ reauthentication_interval: 'daily' })).toBe(false);
  });

  it("uses the organization's inherited policy, and the defaults without an organization", async () => {
    const policies = createSessionPolicies(
      organizations({
        team: [
          { id: 'team', securityPolicies: { concurrent_sessions: 1 } },
          { id: 'root', securityPolicies: { session_timeout: '2h', session_limit_action: 'refuse' } },
        ],
      }),
    );
    expect(await policies(null)).toEqual(DEFAULT_SESSION_POLICY);
    expect(await policies('team')).toMatchObject({
      lifetimeSeconds: 7200,
      limit: { max: 1, action: 'refuse' },
    });
  });
});
