import { newId } from '../../lib/ids.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { FederationRecord, TrustRuleChanges, TrustRuleRecord } from '../ports/federations.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { TrustRuleChange, TrustRuleCreate } from './federation-input.js';
import { memberOrganization, visibleFederation } from './federation-scope.js';

/** The stored form of a rule's conditions (`undefined`: left as they are). */
export function ruleChanges(input: TrustRuleChange): TrustRuleChanges {
  return {
    ...(input.permissions === undefined ? {} : { permissions: [...new Set(input.permissions)] }),
    ...(input.requires_mfa === undefined ? {} : { requiresMfa: input.requires_mfa }),
    ...(input.ip_restrictions === undefined ? {} : { ipRestrictions: input.ip_restrictions }),
    ...(input.valid_from === undefined ? {} : { validFrom: input.valid_from }),
    ...(input.valid_until === undefined ? {} : { validUntil: input.valid_until }),
  };
}

/** Both ends of a rule must be members of its federation, and different organizations. */
async function ruleEnds(repos: Repositories, federation: FederationRecord, input: TrustRuleCreate) {
  const [source, target] = await Promise.all([
    memberOrganization(repos, input.source),
    memberOrganization(repos, input.target),
  ]);
  if (source.id === target.id) {
    throw new RuleViolationError('a rule needs two different organizations', 'same_organization', 'target');
  }
  const members = new Set((await repos.federations.members(federation.id)).map((m) => m.organizationId));
  for (const [field, organization] of [
    ['source', source],
    ['target', target],
  ] as const) {
    if (!members.has(organization.id)) {
      throw new RuleViolationError(
        `${organization.slug} is not a member of federation ${federation.slug}`,
        'not_a_member',
        field,
      );
    }
  }
  return { source, target };
}

async function ruleOf(repos: Repositories, federation: FederationRecord, ruleId: string) {
  const rule = await repos.federations.findRule(ruleId);
  if (!rule || rule.federationId !== federation.id) throw new NotFoundError(`trust rule ${ruleId}`);
  return rule;
}

/**
 * Members and trust rules of a federation. A rule change is recorded in the target's audit chain
 * (its administrators answer for who may come in); membership changes in the platform's.
 */
export function createTrustRulesAdmin(
  db: Database,
  deps: { revoke(ruleIds: readonly string[]): Promise<void> },
) {
  const audit = (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    rule: TrustRuleRecord,
    before: TrustRuleRecord | null,
    after: TrustRuleRecord | null,
  ) =>
    recordChange(repos, principal.actor, {
      organizationId: rule.targetOrganizationId,
      action: `trust_rule.${action}`,
      targetType: 'trust_rule',
      targetId: rule.id,
      before,
      after,
    });
  const memberChange = (
    repos: Repositories,
    principal: AdminPrincipal,
    federationId: string,
    action: string,
    organizationId: string,
  ) =>
    recordChange(repos, principal.actor, {
      organizationId: null,
      action: `federation.member_${action}`,
      targetType: 'federation',
      targetId: federationId,
      before: action === 'remove' ? { organization_id: organizationId } : null,
      after: action === 'add' ? { organization_id: organizationId } : null,
    });

  return {
    addMember(principal: AdminPrincipal, ref: string, organizationRef: string) {
      return db.transaction(async (repos) => {
        const federation = await visibleFederation(repos, principal, ref);
        const organization = await memberOrganization(repos, organizationRef);
        const member = await repos.federations.addMember(federation.id, organization.id);
        await memberChange(repos, principal, federation.id, 'add', organization.id);
        return { ...member, slug: organization.slug, name: organization.name };
      });
    },

    /** Refused while a rule names the organization: remove the rule first (it is what grants access). */
    removeMember(principal: AdminPrincipal, ref: string, organizationRef: string): Promise<void> {
      return db.transaction(async (repos) => {
        const federation = await visibleFederation(repos, principal, ref);
        const organization = await memberOrganization(repos, organizationRef);
        const rules = await repos.federations.rules(federation.id);
        if (
          rules.some(
            (r) => r.sourceOrganizationId === organization.id || r.targetOrganizationId === organization.id,
          )
        ) {
          throw new ConflictError(
            `trust rules of ${federation.slug} name ${organization.slug}; delete them first`,
            'member_in_rules',
          );
        }
        const members = await repos.federations.members(federation.id);
        if (!members.some((m) => m.organizationId === organization.id))
          throw new NotFoundError(`member ${organizationRef}`);
        await repos.federations.removeMember(federation.id, organization.id);
        await memberChange(repos, principal, federation.id, 'remove', organization.id);
      });
    },

    async rules(principal: AdminPrincipal, ref: string): Promise<TrustRuleRecord[]> {
      return db.federations.rules((await visibleFederation(db, principal, ref)).id);
    },

    getRule: async (principal: AdminPrincipal, ref: string, ruleId: string) =>
      ruleOf(db, await visibleFederation(db, principal, ref), ruleId),

    createRule(principal: AdminPrincipal, ref: string, input: TrustRuleCreate): Promise<TrustRuleRecord> {
      return db.transaction(async (repos) => {
        const federation = await visibleFederation(repos, principal, ref);
        const { source, target } = await ruleEnds(repos, federation, input);
        const rule = await repos.federations.createRule({
          id: newId('ftr'),
          federationId: federation.id,
          sourceOrganizationId: source.id,
          targetOrganizationId: target.id,
          permissions: [],
          requiresMfa: false,
          ipRestrictions: [],
          validFrom: null,
          validUntil: null,
          ...ruleChanges(input),
        });
        await audit(repos, principal, 'create', rule, null, rule);
        return rule;
      });
    },

    updateRule(principal: AdminPrincipal, ref: string, ruleId: string, input: TrustRuleChange) {
      return db.transaction(async (repos) => {
        const before = await ruleOf(repos, await visibleFederation(repos, principal, ref), ruleId);
        const after = await repos.federations.updateRule(before.id, ruleChanges(input));
        const { validFrom, validUntil } = after;
        if (validFrom && validUntil && validFrom >= validUntil) {
          throw new RuleViolationError(
            'valid_until must be after valid_from',
            'invalid_window',
            'valid_until',
          );
        }
        await audit(repos, principal, 'update', after, before, after);
        return after;
      });
    },

    /** Deletes the rule; grants made through it are revoked. */
    async deleteRule(principal: AdminPrincipal, ref: string, ruleId: string): Promise<void> {
      await db.transaction(async (repos) => {
        const before = await ruleOf(repos, await visibleFederation(repos, principal, ref), ruleId);
        await repos.federations.deleteRule(before.id);
        await audit(repos, principal, 'delete', before, before, null);
      });
      await deps.revoke([ruleId]);
    },
  };
}
