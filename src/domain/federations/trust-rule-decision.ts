import { ipInAny } from '../../lib/cidr.js';
import { upstreamReached } from '../mfa/sign-in-requirement.js';
import type { PartnerRuleRow } from '../ports/federations.js';

/** Why a rule that exists for the user does not let them in now. */
export type RuleLapse = 'federation_frozen' | 'source_frozen' | 'not_yet_valid' | 'expired';

/**
 * Whether a rule is in force at `now`: its federation is not frozen, its source organization is
 * not frozen, and `now` lies in [valid_from, valid_until). Returns the first reason it is not.
 */
export function ruleLapse(row: PartnerRuleRow, now: Date): RuleLapse | undefined {
  if (row.federation.frozenAt) return 'federation_frozen';
  if (row.source.frozen) return 'source_frozen';
  const { validFrom, validUntil } = row.rule;
  if (validFrom && now < validFrom) return 'not_yet_valid';
  if (validUntil && now >= validUntil) return 'expired';
  return undefined;
}

/**
 * The rule that decides a partner's access among those naming their source organizations. Rules
 * are never merged: a user in several source organizations gets one rule's permissions, not the
 * union, so no two partnerships add up to more than either grants. With several in force, the
 * source organization first in slug order wins (stable whatever the rule ids or join order).
 * When none is in force, the lapsed one is returned with its reason, for a precise refusal.
 */
export function chooseRule(
  candidates: readonly PartnerRuleRow[],
  now: Date,
): { row: PartnerRuleRow; lapse?: RuleLapse } | undefined {
  const bySource = [...candidates].sort(
    (a, b) => a.source.slug.localeCompare(b.source.slug) || a.rule.id.localeCompare(b.rule.id),
  );
  const inForce = bySource.find((row) => ruleLapse(row, now) === undefined);
  if (inForce) return { row: inForce };
  const lapsed = bySource[0];
  return lapsed && { row: lapsed, lapse: ruleLapse(lapsed, now)! };
}

/**
 * Whether a request from `ip` may use a rule limited to `ipRestrictions` (CIDR, IPv4 and IPv6;
 * an IPv4-mapped IPv6 address counts as its IPv4 address). No restriction admits any address;
 * a restriction with no known address admits none (fail closed).
 */
export function ipAllowed(ipRestrictions: readonly string[], ip: string | undefined): boolean {
  if (ipRestrictions.length === 0) return true;
  return ip !== undefined && ipInAny(ipRestrictions, ip);
}

/**
 * Whether a sign-in's RFC 8176 `amr` shows a second factor (`mfa`, `otp`, `hwk`, `swk`, ...), the
 * same test the MFA step applies to an upstream IdP's methods.
 */
export const mfaSatisfied = (amr: readonly string[] | undefined): boolean =>
  amr !== undefined && upstreamReached(amr, 'mfa');

/** What a rule that is in force still asks of the request in hand. */
export type RuleCondition = 'ip_not_allowed' | 'mfa_required';

/**
 * The first condition of the rule the request does not meet. `amr` undefined: not known yet (the
 * second factor comes later in this sign-in, and its policy will ask for it), so not checked.
 */
export function unmetCondition(
  rule: { requiresMfa: boolean; ipRestrictions: readonly string[] },
  request: { ip?: string | undefined; amr?: readonly string[] | undefined },
): RuleCondition | undefined {
  if (!ipAllowed(rule.ipRestrictions, request.ip)) return 'ip_not_allowed';
  if (rule.requiresMfa && request.amr !== undefined && !mfaSatisfied(request.amr)) return 'mfa_required';
  return undefined;
}
