import { describe, expect, it } from '@jest/globals';
import type { PartnerAccess, PartnerDecision } from '../../../src/domain/federations/partner-access.js';
import { asPartner, partnerGrantAccess } from '../../../src/domain/federations/partner-tenancy.js';
import type { TenantAccess } from '../../../src/domain/organizations/organization-access.js';

const partner: PartnerDecision['partner'] = {
  trustRuleId: 'ftr_1',
  federationId: 'fed_1',
  federationSlug: 'broker_trust',
  homeOrganizationId: 'org_home',
  homeOrganizationSlug: 'broker_network',
  requiresMfa: false,
  ipRestrictions: [],
};
const decision: PartnerDecision = { partner, permissions: ['submit_quotes', 'view_bound_policies'] };
const nonMember: TenantAccess = {
  organizationId: 'org_target',
  slug: 'maritime_underwriters',
  roles: [],
  permissions: [],
  admin: false,
  denied: 'not_a_member',
};
const member: TenantAccess = {
  ...nonMember,
  denied: undefined,
  roles: ['senior_underwriter'],
  permissions: ['*'],
  admin: true,
};
const partners = (answer: PartnerDecision | undefined): PartnerAccess => ({
  forUser: async () => answer,
  forGrant: async () => answer,
});

describe('partner standing', () => {
  it("gives exactly the rule's permissions, no roles, with the home organization", () => {
    const access = asPartner(nonMember, decision);
    expect(access).toEqual({
      organizationId: 'org_target',
      slug: 'maritime_underwriters',
      roles: [],
      permissions: ['submit_quotes', 'view_bound_policies'],
      admin: false,
      partner,
    });
  });

  it('refuses with partner_suspended while frozen and partner_ended otherwise, granting nothing', () => {
    const frozen = asPartner(nonMember, { ...decision, lapse: 'federation_frozen' });
    expect(frozen).toMatchObject({ denied: 'partner_suspended', permissions: [], roles: [] });
    const ended = asPartner(nonMember, { ...decision, lapse: 'expired' });
    expect(ended).toMatchObject({ denied: 'partner_ended', permissions: [] });
    expect(asPartner(nonMember, { ...decision, lapse: 'membership_ended' }).denied).toBe('partner_ended');
  });

  it('leaves a non-member without a rule as it was', () => {
    expect(asPartner(nonMember, undefined)).toBe(nonMember);
  });

  it('under a partner grant, never the target roles, even for a user who joined the target since', async () => {
    const access = await partnerGrantAccess(partners(decision), member, 'ftr_1', 'usr_1');
    expect(access).toMatchObject({ roles: [], admin: false, permissions: decision.permissions, partner });
    expect(access.denied).toBeUndefined();
  });

  it("under a partner grant, ends with the rule, and keeps the organization's own refusals", async () => {
    const gone = await partnerGrantAccess(partners(undefined), nonMember, 'ftr_gone', 'usr_1');
    expect(gone).toMatchObject({ denied: 'partner_ended', permissions: [], roles: [] });
    const suspended: TenantAccess = { ...nonMember, denied: 'organization_suspended' };
    expect(await partnerGrantAccess(partners(decision), suspended, 'ftr_1', 'usr_1')).toBe(suspended);
  });
});
