import { describe, expect, it } from '@jest/globals';
import { contractRefusal } from '../../../src/domain/entitlements/sign-in-admission.js';
import { accessFrom } from '../../../src/domain/organizations/organization-access.js';
import type { OrganizationAccessRow } from '../../../src/domain/ports/tenancy.js';

const NOW = new Date('2027-03-01T00:00:00Z');
type Link = OrganizationAccessRow['chain'][number];
const link = (id: string, extra: Partial<Link> = {}): Link => ({
  id,
  slug: id,
  status: 'active',
  parentId: null,
  ...extra,
});
const row = (chain: Link[]): OrganizationAccessRow => ({
  chain,
  membership: { id: 'mem_1', status: 'active', roles: [] },
  roles: [],
});

describe('tenant access under the kill switch and the contract', () => {
  it('refuses a frozen organization, or one under a frozen parent', () => {
    expect(accessFrom(row([link('org_a', { frozen: true })]), NOW).denied).toBe('organization_frozen');
    expect(accessFrom(row([link('org_child'), link('org_root', { frozen: true })]), NOW).denied).toBe(
      'organization_frozen',
    );
    expect(accessFrom(row([link('org_a', { frozen: false })]), NOW).denied).toBeUndefined();
  });

  it('reports a suspension before a freeze', () => {
    const chain = [link('org_a', { status: 'suspended', frozen: true })];
    expect(accessFrom(row(chain), NOW).denied).toBe('organization_suspended');
  });

  it('refuses once the root’s contract or trial is over, at the injected instant', () => {
    const ended = [
      link('org_child'),
      link('org_root', { plan: { tier: 'pro', contract_ends_at: '2027-02-28' } }),
    ];
    expect(accessFrom(row(ended), NOW).denied).toBe('organization_access_ended');
    expect(accessFrom(row(ended), new Date('2027-02-28T23:00:00Z')).denied).toBeUndefined();
    // A plan on a sub-organization is not the contract: only the root's counts.
    const childPlan = [
      link('org_child', { plan: { tier: 'pro', trial_ends_at: '2020-01-01' } }),
      link('org_root'),
    ];
    expect(accessFrom(row(childPlan), NOW).denied).toBeUndefined();
  });
});

describe('SSO sign-in under the contract', () => {
  const org = (extra: { frozenAt?: Date | null; plan?: Record<string, unknown> } = {}) => ({
    frozenAt: extra.frozenAt ?? null,
    plan: extra.plan ?? {},
  });

  it('names the reason: frozen, ended, or no SSO in the plan', () => {
    expect(contractRefusal([org()], NOW)).toBeUndefined();
    expect(contractRefusal([org(), org({ frozenAt: NOW })], NOW)).toBe('organization_frozen');
    expect(contractRefusal([org({ plan: { tier: 'pro', trial_ends_at: '2027-01-01' } })], NOW)).toBe(
      'organization_access_ended',
    );
    expect(contractRefusal([org({ plan: { tier: 'basic' } })], NOW)).toBe('feature_not_in_plan');
    expect(contractRefusal([org({ plan: { tier: 'basic', features: { sso: true } } })], NOW)).toBeUndefined();
  });
});
