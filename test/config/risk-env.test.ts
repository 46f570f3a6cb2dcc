import { describe, expect, it } from '@jest/globals';
import { ConfigError, parseEnv } from '../../src/config/env.js';
import { securityPoliciesSchema } from '../../src/domain/organizations/security-policies.js';

describe('RISK_KNOWN_BAD_IPS', () => {
  it('is an empty list when unset or empty', () => {
    expect(parseEnv({}).RISK_KNOWN_BAD_IPS).toEqual([]);
    expect(parseEnv({ RISK_KNOWN_BAD_IPS: '' }).RISK_KNOWN_BAD_IPS).toEqual([]);
  });

  it('takes comma-separated IPv4 and IPv6 networks, spaces allowed', () => {
    expect(parseEnv({ RISK_KNOWN_BAD_IPS: '203.0.113.0/24, 2001:db8::/32,' }).RISK_KNOWN_BAD_IPS).toEqual([
      '203.0.113.0/24',
      '2001:db8::/32',
    ]);
  });

  it('refuses an entry that is not a CIDR network, naming the variable', () => {
    expect(() => parseEnv({ RISK_KNOWN_BAD_IPS: '203.0.113.7' })).toThrow(ConfigError);
    expect(() => parseEnv({ RISK_KNOWN_BAD_IPS: '203.0.113.0/24,nonsense' })).toThrow(/RISK_KNOWN_BAD_IPS/);
  });
});

describe('security policies `risk` and `allowed_countries`', () => {
  it('accepts thresholds and ISO country codes', () => {
    const parsed = securityPoliciesSchema.parse({
      risk: { mfa_at: 30, deny_at: 80 },
      allowed_countries: ['GB', 'IE'],
      locked: ['risk', 'allowed_countries'],
    });
    expect(parsed.risk).toEqual({ mfa_at: 30, deny_at: 80 });
  });

  it('refuses lower-case or three-letter codes, an empty list and inverted thresholds', () => {
    for (const policies of [
      { allowed_countries: ['gb'] },
      { allowed_countries: ['GBR'] },
      { allowed_countries: [] },
      { risk: { mfa_at: 80, deny_at: 30 } },
    ]) {
      expect(securityPoliciesSchema.safeParse(policies).success).toBe(false);
    }
  });
});
