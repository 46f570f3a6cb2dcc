import type { Database } from '../ports/repositories.js';
import type { PartnerRuleRow } from '../ports/federations.js';
import { chooseRule, ruleLapse, type RuleLapse } from './trust-rule-decision.js';

/** What a token made through a trust rule states, beside the target's id and slug. */
export interface PartnerStanding {
  trustRuleId: string;
  federationId: string;
  /** The `federation` claim. */
  federationSlug: string;
  /** The `home_org_id` and `home_org_slug` claims: where the user is a member. */
  homeOrganizationId: string;
  homeOrganizationSlug: string;
  requiresMfa: boolean;
  ipRestrictions: string[];
}

/** A partner's standing in a target organization: the rule's permissions, or why there are none. */
export interface PartnerDecision {
  partner: PartnerStanding;
  permissions: string[];
  /** Set when a rule names the user's organization but is not in force (frozen, out of its window). */
  lapse?: RuleLapse | 'membership_ended';
}

const standingOf = (row: PartnerRuleRow): PartnerStanding => ({
  trustRuleId: row.rule.id,
  federationId: row.federation.id,
  federationSlug: row.federation.slug,
  homeOrganizationId: row.source.id,
  homeOrganizationSlug: row.source.slug,
  requiresMfa: row.rule.requiresMfa,
  ipRestrictions: [...row.rule.ipRestrictions],
});

const decisionOf = (row: PartnerRuleRow, lapse: PartnerDecision['lapse']): PartnerDecision => ({
  partner: standingOf(row),
  permissions: [...row.rule.permissions],
  ...(lapse ? { lapse } : {}),
});

/**
 * Partner access (cross-organization federation): a user who is not a member of an organization
 * may act for it when a trust rule names one of their organizations as source and it as target.
 * Only the user's active memberships in organizations that may be acted for now count (the same
 * walk as the organization picker: no suspended organization on the way up), and never a frozen
 * one. Read fresh on every sign-in and token issue, so a frozen federation, a deleted rule or an
 * ended window ends the access at once.
 */
export function createPartnerAccess(db: Pick<Database, 'access' | 'federations'>, now: () => Date) {
  const sourcesOf = async (userId: string) => (await db.access.choicesFor(userId)).map((org) => org.id);
  return {
    /** The rule deciding a non-member's access to the target; undefined when no rule names them. */
    async forUser(targetOrganizationId: string, userId: string): Promise<PartnerDecision | undefined> {
      const sources = await sourcesOf(userId);
      const chosen = chooseRule(await db.federations.partnerRules(targetOrganizationId, sources), now());
      return chosen && decisionOf(chosen.row, chosen.lapse);
    },

    /**
     * The standing of a grant made through `trustRuleId`: the same rule only (a grant never moves
     * to another rule), for its target only, while the user still belongs to its source.
     */
    async forGrant(
      trustRuleId: string,
      targetOrganizationId: string,
      userId: string,
    ): Promise<PartnerDecision | undefined> {
      const row = await db.federations.partnerRule(trustRuleId);
      if (!row || row.rule.targetOrganizationId !== targetOrganizationId) return undefined;
      const lapse = ruleLapse(row, now());
      if (lapse) return decisionOf(row, lapse);
      const member = (await sourcesOf(userId)).includes(row.rule.sourceOrganizationId);
      return decisionOf(row, member ? undefined : 'membership_ended');
    },
  };
}
export type PartnerAccess = ReturnType<typeof createPartnerAccess>;
