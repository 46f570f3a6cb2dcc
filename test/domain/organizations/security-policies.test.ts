import { describe, expect, it } from '@jest/globals';
import { RuleViolationError } from '../../../src/domain/errors.js';
import {
  assertPoliciesAllowed,
  effectivePolicies,
  securityPoliciesSchema,
} from '../../../src/domain/organizations/security-policies.js';

const org = (id: string, securityPolicies: Record<string, unknown>) => ({ id, securityPolicies });

describe('security policy inheritance', () => {
  const root = org('root', {
    mfa: 'required',
    session_timeout: '8h',
    concurrent_sessions: 3,
    locked: ['mfa'],
  });
  const division = org('division', { session_timeout: '4h', idle_timeout: '30m' });
  const team = org('team', { mfa: 'off', concurrent_sessions: 1 });

  it('inherits parent values, lets children override unlocked keys, keeps locked ones', () => {
    const effective = effectivePolicies([team, division, root]);
    expect(effective.values).toEqual({
      mfa: 'required',
      session_timeout: '4h',
      idle_timeout: '30m',
      concurrent_sessions: 1,
    });
    expect(effective.sources).toEqual({
      mfa: 'root',
      session_timeout: 'division',
      idle_timeout: 'division',
      concurrent_sessions: 'team',
    });
    expect(effective.lockedByAncestors).toEqual(['mfa']);
  });

  it('refuses a value for a key an ancestor locked', () => {
    expect(() => assertPoliciesAllowed({ mfa: 'off' }, [division, root])).toThrow(RuleViolationError);
    expect(() => assertPoliciesAllowed({ session_timeout: '1h' }, [division, root])).not.toThrow();
  });

  it('validates the shape: durations, CIDR networks, known keys', () => {
    expect(
      securityPoliciesSchema.safeParse({
        session_timeout: '8h',
        ip_allowlist: ['198.51.100.0/24', '2001:db8::/32'],
      }).success,
    ).toBe(true);
    expect(securityPoliciesSchema.safeParse({ session_timeout: '8 hours' }).success).toBe(false);
    expect(securityPoliciesSchema.safeParse({ ip_allowlist: ['198.51.100.0/33'] }).success).toBe(false);
    expect(securityPoliciesSchema.safeParse({ mfa: 'sometimes' }).success).toBe(false);
    expect(securityPoliciesSchema.safeParse({ unknown_key: 1 }).success).toBe(false);
  });
});
