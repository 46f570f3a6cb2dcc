import { describe, expect, it } from '@jest/globals';
import {
  accessEnd,
  contractPlan,
  entitlementsOf,
  monthOf,
  UNLIMITED,
} from '../../../src/domain/entitlements/effective-entitlements.js';
import { planInputSchema } from '../../../src/domain/entitlements/plan-input.js';
import { formatRate, parseRate } from '../../../src/domain/entitlements/rate.js';

describe('plan rates', () => {
  it('reads N/s, N/m and N/h as fixed windows', () => {
    expect(parseRate('50/s')).toEqual({ limit: 50, windowSeconds: 1 });
    expect(parseRate(' 2/m ')).toEqual({ limit: 2, windowSeconds: 60 });
    expect(parseRate('1000/h')).toEqual({ limit: 1000, windowSeconds: 3600 });
    expect(formatRate({ limit: 2, windowSeconds: 60 })).toBe('2/m');
  });

  it('refuses anything else', () => {
    for (const bad of ['', '50', '0/s', '-1/s', '5/d', '5/sec', '1.5/s', '50 /s', '12345678/s', '/s'])
      expect(parseRate(bad)).toBeUndefined();
  });
});

describe('effective entitlements', () => {
  it('keeps today’s behaviour without a plan: every feature, no quota, no end', () => {
    expect(entitlementsOf({})).toEqual(UNLIMITED);
    expect(entitlementsOf(undefined)).toEqual(UNLIMITED);
    expect(UNLIMITED.features).toEqual({ sso: true, scim: true, custom_domain: true, impersonation: true });
  });

  it('gives each tier its matrix of features and quotas', () => {
    const basic = entitlementsOf({ tier: 'basic' });
    expect(basic.features).toEqual({ sso: false, scim: false, custom_domain: false, impersonation: false });
    expect(basic.quotas).toEqual({
      monthlyActiveUsers: 1000,
      connections: 0,
      apiRateLimit: { limit: 10, windowSeconds: 1 },
    });
    const pro = entitlementsOf({ tier: 'pro' });
    expect(pro.features).toEqual({ sso: true, scim: true, custom_domain: false, impersonation: false });
    expect(pro.quotas.connections).toBe(3);
    const enterprise = entitlementsOf({ tier: 'enterprise' });
    expect(enterprise.features).toEqual({ sso: true, scim: true, custom_domain: true, impersonation: true });
    expect(enterprise.quotas.monthlyActiveUsers).toBeNull();
    expect(enterprise.quotas.connections).toBeNull();
  });

  it('applies the plan’s overrides over the tier, null meaning unlimited', () => {
    const plan = entitlementsOf({
      tier: 'basic',
      features: { sso: true },
      monthly_active_users: 500,
      connections: null,
      api_rate_limit: '50/s',
    });
    expect(plan.features).toMatchObject({ sso: true, scim: false });
    expect(plan.quotas).toEqual({
      monthlyActiveUsers: 500,
      connections: null,
      apiRateLimit: { limit: 50, windowSeconds: 1 },
    });
    expect(entitlementsOf({ tier: 'pro', api_rate_limit: null }).quotas.apiRateLimit).toBeNull();
    expect(
      entitlementsOf({ tier: 'enterprise', features: { impersonation: false } }).features.impersonation,
    ).toBe(false);
  });

  it('ends access after the trial or the contract, a date alone covering its whole day (UTC)', () => {
    const plan = entitlementsOf({ tier: 'pro', contract_ends_at: '2027-01-31' });
    expect(accessEnd(plan, new Date('2027-01-31T23:59:59Z'))).toBeUndefined();
    expect(accessEnd(plan, new Date('2027-02-01T00:00:00Z'))).toBe('contract_ended');
    const trial = entitlementsOf({ tier: 'pro', trial_ends_at: '2027-01-15T12:00:00+02:00' });
    expect(accessEnd(trial, new Date('2027-01-15T09:59:59Z'))).toBeUndefined();
    expect(accessEnd(trial, new Date('2027-01-15T10:00:00Z'))).toBe('trial_ended');
    const both = entitlementsOf({ tier: 'pro', trial_ends_at: '2027-01-01', contract_ends_at: '2027-01-01' });
    expect(accessEnd(both, new Date('2027-06-01T00:00:00Z'))).toBe('contract_ended');
    expect(accessEnd(entitlementsOf({ tier: 'pro' }), new Date('2999-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('reads the contract from the root of the chain (nearest first)', () => {
    const chain = [{ plan: {} }, { plan: {} }, { plan: { tier: 'basic' } }];
    expect(entitlementsOf(contractPlan(chain)).tier).toBe('basic');
    expect(contractPlan([])).toBeUndefined();
  });

  it('counts monthly active users per calendar month in UTC', () => {
    expect(monthOf(new Date('2026-11-30T23:59:59Z'))).toBe('2026-11');
    expect(monthOf(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12');
  });
});

describe('plan input', () => {
  const problems = (input: unknown) => {
    const result = planInputSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.') || issue.code);
  };

  it('takes the example file’s plan, and {} for none', () => {
    expect(problems({ tier: 'pro', monthly_active_users: 500, api_rate_limit: '50/s' })).toEqual([]);
    expect(problems({})).toEqual([]);
    expect(
      problems({ tier: 'enterprise', trial_ends_at: '2027-01-31', contract_ends_at: '2027-01-31T18:00:00Z' }),
    ).toEqual([]);
  });

  it('refuses unknown tiers, features and keys, bad rates, negative quotas and dates without an offset', () => {
    expect(problems({ tier: 'gold' })).not.toEqual([]);
    expect(problems({ tier: 'pro', features: { teleport: true } })).not.toEqual([]);
    expect(problems({ tier: 'pro', seats: 5 })).not.toEqual([]);
    expect(problems({ tier: 'pro', api_rate_limit: '50/day' })).not.toEqual([]);
    expect(problems({ tier: 'pro', monthly_active_users: -1 })).not.toEqual([]);
    expect(problems({ tier: 'pro', contract_ends_at: '2027-01-31T18:00:00' })).not.toEqual([]);
    expect(problems({ tier: 'pro', contract_ends_at: 'next year' })).not.toEqual([]);
    expect(problems({ monthly_active_users: 5 })).not.toEqual([]);
  });
});
