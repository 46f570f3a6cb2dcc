import type { TenantAccess } from '../organizations/organization-access.js';
import type { Database } from '../ports/repositories.js';
import type { GrantOrganizationRecord } from '../ports/tenancy.js';
import type { PartnerAccess, PartnerDecision, PartnerStanding } from './partner-access.js';

/**
 * A non-member's standing as a partner: exactly the rule's permissions, never a role of the
 * target (`roles: []`, not an admin), with the home organization and federation it came through.
 * A rule that is not in force refuses: `partner_suspended` while the federation is frozen (the
 * sign-in page says so), `partner_ended` otherwise. No rule: the non-member standing as it was.
 */
export function asPartner(base: TenantAccess, decision: PartnerDecision | undefined): TenantAccess {
  if (!decision) return base;
  const { denied: _notMember, ...rest } = base;
  const partner = { ...rest, roles: [], admin: false, partner: decision.partner };
  if (!decision.lapse) return { ...partner, permissions: decision.permissions };
  const denied = decision.lapse === 'federation_frozen' ? 'partner_suspended' : 'partner_ended';
  return { ...partner, permissions: [], denied };
}

/**
 * The standing under a grant made through a trust rule. The organization's own refusals
 * (suspended, frozen, deleted) stand; otherwise only the grant's rule decides, whatever
 * memberships the user has gained or lost in the target since: a grant never changes what it is.
 */
export async function partnerGrantAccess(
  partners: PartnerAccess,
  base: TenantAccess,
  trustRuleId: string,
  userId: string,
): Promise<TenantAccess> {
  const organizationRefusal =
    base.denied !== undefined && base.denied !== 'not_a_member' && base.denied !== 'membership_inactive';
  if (organizationRefusal) return base;
  const decision = await partners.forGrant(trustRuleId, base.organizationId, userId);
  const access = asPartner({ ...base, denied: 'not_a_member' }, decision);
  return decision ? access : { ...access, roles: [], permissions: [], admin: false, denied: 'partner_ended' };
}

/** The binding columns of a grant made through a rule (none for a member's grant). */
export const partnerBinding = (partner: PartnerStanding | undefined) =>
  partner ? { trustRuleId: partner.trustRuleId, homeOrganizationId: partner.homeOrganizationId } : {};

/**
 * `federation.partner_access` in the target's audit chain: who came in through which rule, from
 * which home organization, for which application. Written when the grant is bound (once per
 * partner sign-in that makes a grant), outside any transaction, like the sign-in records.
 */
export async function recordPartnerAccess(
  db: Pick<Database, 'audit'>,
  binding: Pick<GrantOrganizationRecord, 'organizationId' | 'userId' | 'clientId'>,
  partner: PartnerStanding,
): Promise<void> {
  await db.audit.append({
    organizationId: binding.organizationId,
    actor: { type: 'user', id: binding.userId },
    action: 'federation.partner_access',
    targetType: 'trust_rule',
    targetId: partner.trustRuleId,
    before: null,
    after: {
      federation: partner.federationSlug,
      home_organization_id: partner.homeOrganizationId,
      home_organization_slug: partner.homeOrganizationSlug,
      client_id: binding.clientId,
    },
  });
}
