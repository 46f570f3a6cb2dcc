import type { TenantAccess } from '../organizations/organization-access.js';
import { TokenExchangeRefusal } from '../tokens/token-exchange-policy.js';
import { ipAllowed, mfaSatisfied } from './trust-rule-decision.js';

/** What a token exchange knows that a partner's trust rule may limit. */
export interface PartnerExchangeContext {
  /** The calling client's address (ctx.ip). */
  ip?: string | undefined;
  /** The subject token's RFC 8176 `amr`, when it carries one (JWT access tokens do). */
  amr?: readonly string[] | undefined;
}

/**
 * RFC 8693 for partners: a token exchanged into a federated organization states the rule's
 * permissions (tenancy already decided them), and the rule's conditions hold here as at sign-in.
 * The caller's address must be in `ip_restrictions`. A switch into the target (`organization`)
 * needs a subject token that shows a second factor when the rule asks for MFA; a token already
 * issued under a partner grant passed that check when its sign-in did.
 */
export function checkPartnerExchange(
  access: TenantAccess,
  context: PartnerExchangeContext,
  switching: boolean,
): TenantAccess {
  const partner = access.partner;
  if (!partner) return access;
  if (!ipAllowed(partner.ipRestrictions, context.ip)) {
    throw new TokenExchangeRefusal('subject', 'partner access is not allowed from this network');
  }
  if (switching && partner.requiresMfa && !mfaSatisfied(context.amr)) {
    throw new TokenExchangeRefusal(
      'subject',
      'the partner organization requires a subject token from a sign-in with two-step verification',
    );
  }
  return access;
}
