import type { TenantAccess } from '../organizations/organization-access.js';
import type { OrganizationRepository } from '../ports/tenancy.js';
import { unmetCondition } from './trust-rule-decision.js';

/** What a sign-in knows about itself when it settles a partner's organization. */
export interface PartnerSignIn {
  /** The browser's address (ctx.ip, behind TRUST_PROXY the forwarded one). */
  ip?: string | undefined;
  /** The session's RFC 8176 methods; absent while the second factor is still to come. */
  amr?: readonly string[] | undefined;
}

/** Allowed; refused with words for a page; or allowed once a second factor is shown (step-up). */
export type PartnerVerdict =
  { kind: 'allowed' } | { kind: 'refused'; description: string } | { kind: 'step_up'; description: string };

/**
 * Whether a partner's sign-in may go on, and if not, words that say why. A partner is told: the
 * rule naming their organization is what makes the target's name known to them, so saying it is
 * frozen, out of its window, or limited to some networks reveals nothing they could not ask for.
 */
export async function partnerVerdict(
  organizations: Pick<OrganizationRepository, 'find'>,
  standing: TenantAccess,
  signIn: PartnerSignIn | undefined,
): Promise<PartnerVerdict> {
  const partner = standing.partner!;
  const name = (await organizations.find(standing.organizationId))?.name ?? standing.slug;
  if (standing.denied === 'partner_suspended') {
    return {
      kind: 'refused',
      description: `Partner access to ${name} through ${partner.federationSlug} is suspended by the operator. Ask your administrator.`,
    };
  }
  if (standing.denied) {
    return {
      kind: 'refused',
      description: `Your organization's partner access to ${name} is not in force: it has not started yet or it has ended. Ask your administrator.`,
    };
  }
  const unmet = unmetCondition(partner, signIn ?? {});
  if (unmet === 'ip_not_allowed') {
    return {
      kind: 'refused',
      description: `${name} accepts partner sign-ins only from approved networks, and the network you are on is not one of them. Connect through your organization's network and try again.`,
    };
  }
  if (unmet === 'mfa_required') {
    return {
      kind: 'step_up',
      description: `${name} requires partners to sign in with two-step verification.`,
    };
  }
  return { kind: 'allowed' };
}
