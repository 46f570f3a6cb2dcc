import { describe, expect, it } from '@jest/globals';
import type { TenantAccess } from '../../../src/domain/organizations/organization-access.js';
import { exchangeOrganization } from '../../../src/domain/tokens/exchange-organization.js';
import { TokenExchangeRefusal } from '../../../src/domain/tokens/token-exchange-policy.js';

const USER = 'usr_1';
const access = (
  organizationId: string,
  slug: string,
  overrides: Partial<TenantAccess> = {},
): TenantAccess => ({
  organizationId,
  slug,
  roles: [`${slug}-role`],
  permissions: [`${slug}:read`],
  admin: false,
  ...overrides,
});

/** OrganizationAccess over a fixed table of (organization, user) standings, counting reads. */
function tenancyOf(standings: TenantAccess[]) {
  const reads: string[] = [];
  return {
    reads,
    /** By id or slug, as the real query answers. */
    async forUser(reference: string, userId: string) {
      reads.push(reference);
      const found = standings.find((entry) => entry.organizationId === reference || entry.slug === reference);
      return userId === USER ? found : undefined;
    },
  };
}

describe('the organization of an exchanged token', () => {
  it('keeps the subject’s organization, with roles read fresh', async () => {
    const fresh = access('org_a', 'alpha', { roles: ['new-role'] });
    const tenancy = tenancyOf([fresh]);
    const chosen = await exchangeOrganization(tenancy, {
      userId: USER,
      subject: { organizationId: 'org_a' },
    });
    expect(chosen).toEqual(fresh);
  });

  it('issues no organization for a subject without one', async () => {
    const tenancy = tenancyOf([]);
    expect(await exchangeOrganization(tenancy, { userId: USER, subject: {} })).toBeUndefined();
    expect(tenancy.reads).toEqual([]);
  });

  it('switches to another organization of an active membership, by id or slug', async () => {
    const tenancy = tenancyOf([access('org_a', 'alpha'), access('org_b', 'beta')]);
    for (const organization of ['org_b', 'beta']) {
      const chosen = await exchangeOrganization(tenancy, {
        userId: USER,
        subject: { organizationId: 'org_a' },
        organization,
      });
      expect(chosen).toEqual(access('org_b', 'beta'));
    }
  });

  it('lets a subject without organization switch into one it belongs to', async () => {
    const tenancy = tenancyOf([access('org_b', 'beta')]);
    const chosen = await exchangeOrganization(tenancy, { userId: USER, subject: {}, organization: 'beta' });
    expect(chosen?.organizationId).toBe('org_b');
  });

  it('refuses an organization without membership, suspended, or unknown, in the same words', async () => {
    const tenancy = tenancyOf([
      access('org_a', 'alpha'),
      access('org_b', 'beta', { denied: 'organization_suspended', roles: [], permissions: [] }),
      access('org_c', 'gamma', { denied: 'membership_inactive', roles: [], permissions: [] }),
    ]);
    for (const organization of ['beta', 'gamma', 'delta', 'no-such-organization']) {
      const refused = exchangeOrganization(tenancy, {
        userId: USER,
        subject: { organizationId: 'org_a' },
        organization,
      });
      await expect(refused).rejects.toBeInstanceOf(TokenExchangeRefusal);
      await expect(refused).rejects.toMatchObject({
        reason: 'target',
        message: 'not a member of that organization',
      });
    }
  });

  it('refuses a subject whose own organization access has ended when it keeps that organization', async () => {
    const tenancy = tenancyOf([
      access('org_a', 'alpha', { denied: 'not_a_member', roles: [], permissions: [] }),
      access('org_b', 'beta'),
    ]);
    await expect(
      exchangeOrganization(tenancy, { userId: USER, subject: { organizationId: 'org_a' } }),
    ).rejects.toMatchObject({ reason: 'subject' });
    await expect(
      exchangeOrganization(tenancy, { userId: USER, subject: { organizationId: 'org_gone' } }),
    ).rejects.toMatchObject({ reason: 'subject' });
    // A switch reads only the target: nothing of the ended membership is carried over.
    const switched = await exchangeOrganization(tenancy, {
      userId: USER,
      subject: { organizationId: 'org_a' },
      organization: 'beta',
    });
    expect(switched?.organizationId).toBe('org_b');
    expect(tenancy.reads.at(-1)).toBe('beta');
  });

  it('uses the standing already read for an opaque token’s grant, without reading it again', async () => {
    const tenancy = tenancyOf([]);
    const bound = access('org_a', 'alpha');
    const chosen = await exchangeOrganization(tenancy, { userId: USER, subject: { access: bound } });
    expect(chosen).toBe(bound);
    expect(tenancy.reads).toEqual([]);
    await expect(
      exchangeOrganization(tenancy, {
        userId: USER,
        subject: { access: { ...bound, denied: 'organization_suspended' } },
      }),
    ).rejects.toMatchObject({ reason: 'subject' });
  });

  it('treats naming the subject’s own organization as keeping it', async () => {
    const tenancy = tenancyOf([access('org_a', 'alpha')]);
    const chosen = await exchangeOrganization(tenancy, {
      userId: USER,
      subject: { organizationId: 'org_a' },
      organization: 'alpha',
    });
    expect(chosen?.organizationId).toBe('org_a');
    expect(tenancy.reads).toEqual(['alpha']);
  });
});
