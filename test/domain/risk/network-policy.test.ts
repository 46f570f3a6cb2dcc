import { describe, expect, it } from '@jest/globals';
import { createNetworkPolicy } from '../../../src/domain/risk/network-policy.js';
import type { RiskPolicyValues } from '../../../src/domain/risk/risk-policy.js';
import { fakeGeo } from './risk-fixtures.js';

const withPolicy = (values: RiskPolicyValues) =>
  createNetworkPolicy({ policiesOf: async () => values, geo: fakeGeo });

describe('network policy at sign-in and token issue', () => {
  it('lets everything through when the organization sets no rule', async () => {
    expect(await withPolicy({})('org_1', '203.0.113.9')).toBeUndefined();
  });

  it('refuses outside ip_allowlist and names the policy, not the address', async () => {
    const check = withPolicy({ ip_allowlist: ['198.51.100.0/24'] });
    expect(await check('org_1', '198.51.100.7')).toBeUndefined();
    const refusal = await check('org_1', '203.0.113.9');
    expect(refusal?.policy).toBe('ip_allowlist');
    expect(refusal?.description).toContain('ip_allowlist');
    expect(refusal?.description).not.toContain('203.0.113.9');
  });

  it('refuses a country outside allowed_countries, and an address the database cannot place', async () => {
    const check = withPolicy({ allowed_countries: ['GB'] });
    expect(await check('org_1', '198.51.100.7')).toBeUndefined();
    expect((await check('org_1', '203.0.113.9'))?.policy).toBe('allowed_countries');
    expect((await check('org_1', '10.0.0.1'))?.policy).toBe('allowed_countries');
  });
});
