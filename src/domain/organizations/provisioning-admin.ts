import type { Database, Repositories } from '../ports/repositories.js';
import type { ProvisioningPolicy, RoleRuleSetting } from '../ports/tenancy.js';
import { compileRoleRules, RoleRulesError, type RoleRuleProblem } from '../provisioning/role-rules.js';
import type { AdminPrincipal } from './admin-principal.js';
import { effectiveProvisioning, type ProvisioningInput } from './provisioning-input.js';
import { effectiveRoles } from './role-inheritance.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

/**
 * Every problem of a rule list at once: conditions that do not parse (with their column) and roles
 * the organization does not offer (its own or inherited), so no sign-in ever meets a broken rule.
 */
export async function assertRoleRulesValid(
  repos: Repositories,
  organizationId: string,
  rules: readonly RoleRuleSetting[],
): Promise<void> {
  const problems: RoleRuleProblem[] = [];
  try {
    compileRoleRules(rules);
  } catch (error) {
    if (!(error instanceof RoleRulesError)) throw error;
    problems.push(...error.problems);
  }
  const chainIds = (await repos.organizations.chain(organizationId)).map((organization) => organization.id);
  const offered = effectiveRoles(chainIds, await repos.roles.listFor(chainIds));
  rules.forEach((rule, index) => {
    if (offered.has(rule.assign_role)) return;
    problems.push({
      index,
      field: 'assign_role',
      message: `role ${rule.assign_role} is not defined by this organization or inherited from a parent organization`,
    });
  });
  if (problems.length > 0) throw new RoleRulesError(problems.sort((a, b) => a.index - b.index));
}

/** What an organization's SSO sign-ins may create (JIT, approval) and the roles they give. */
export function createProvisioningAdmin(db: Database) {
  return {
    /** With defaults spelled out, so a reader sees what applies. */
    async get(principal: AdminPrincipal, orgRef: string): Promise<Required<ProvisioningPolicy>> {
      return effectiveProvisioning((await visibleOrganization(db, principal, orgRef)).provisioning);
    },

    /** Replaces the whole policy; members left out take their defaults. */
    replace(
      principal: AdminPrincipal,
      orgRef: string,
      input: ProvisioningInput,
    ): Promise<Required<ProvisioningPolicy>> {
      return db.transaction(async (repos) => {
        const before = await visibleOrganization(repos, principal, orgRef);
        await assertRoleRulesValid(repos, before.id, input.role_rules ?? []);
        const after = await repos.organizations.update(before.id, { provisioning: input });
        await recordChange(repos, principal.actor, {
          organizationId: before.id,
          action: 'provisioning.update',
          targetType: 'provisioning',
          targetId: before.id,
          before: before.provisioning,
          after: after.provisioning,
        });
        return effectiveProvisioning(after.provisioning);
      });
    },
  };
}
export type ProvisioningAdmin = ReturnType<typeof createProvisioningAdmin>;
