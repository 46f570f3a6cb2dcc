import { effectiveRoles } from '../organizations/role-inheritance.js';
import type { Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import type { Attributes } from './condition-evaluator.js';
import { compileRoleRules, type CompiledRoleRules, type RoleRule } from './role-rules.js';

/** The roles an SSO sign-in gives: the organization's default role, and what its role rules assign. */
export interface ProvisionedRoles {
  defaultRoles: string[];
  ruleRoles: string[];
}

/**
 * Evaluates the organization's role rules over the mapped attributes. Nothing here may lock users
 * out: a stored rule set that no longer compiles gives no rule roles, and a role that is no longer
 * offered (deleted, or never defined along the organization's chain) is skipped; both become
 * warnings for the operator's log.
 */
export async function provisionedRoles(
  repos: Repositories,
  chain: readonly OrganizationRecord[],
  attributes: Attributes,
  warnings: string[],
): Promise<ProvisionedRoles> {
  const [organization] = chain;
  if (!organization) return { defaultRoles: [], ruleRoles: [] };
  const chainIds = chain.map((org) => org.id);
  const offered = effectiveRoles(chainIds, await repos.roles.listFor(chainIds));
  const keepOffered = (names: readonly string[], source: string) =>
    names.filter((name) => {
      if (offered.has(name)) return true;
      warnings.push(`${source} names role ${name}, which organization ${organization.slug} does not offer`);
      return false;
    });
  return {
    defaultRoles: keepOffered(organization.defaultRole ? [organization.defaultRole] : [], 'default_role'),
    ruleRoles: keepOffered(ruleRolesOf(organization, attributes, warnings), 'a role rule'),
  };
}

function ruleRolesOf(organization: OrganizationRecord, attributes: Attributes, warnings: string[]): string[] {
  const rules: unknown = organization.provisioning.role_rules ?? [];
  let compiled: CompiledRoleRules;
  try {
    if (!Array.isArray(rules)) throw new TypeError('provisioning.role_rules is not a list');
    // The column is JSON written by earlier versions or by hand: compileRoleRules checks each rule.
    compiled = compileRoleRules(rules as RoleRule[]);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    warnings.push(
      `role rules of organization ${organization.slug} do not compile (${why}): no rule roles given`,
    );
    return [];
  }
  return compiled.evaluate(attributes);
}

/**
 * A membership's roles after a sign-in whose rules gave `ruleRoles`: the roles the previous sign-in's
 * rules gave are taken back, the new ones added. A role held for another reason (an administrator
 * assigned it, or it is the default role the membership started with) is never recorded as
 * rule-given, so a rule that stops matching can only take back what a rule gave.
 */
export function syncRuleRoles(
  membership: { roles: readonly string[]; ruleRoles: readonly string[] },
  ruleRoles: readonly string[],
): { roles: string[]; ruleRoles: string[] } {
  const kept = membership.roles.filter((role) => !membership.ruleRoles.includes(role));
  const added = ruleRoles.filter((role) => !kept.includes(role));
  return { roles: [...kept, ...added], ruleRoles: added };
}
