import { sameSet } from '../../lib/same-set.js';
import { insertMembership } from '../organizations/memberships-admin.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { Repositories } from '../ports/repositories.js';
import type { MembershipRecord } from '../ports/tenancy.js';
import { syncRuleRoles } from './provisioned-roles.js';
import type { SignInContext } from './sign-in-context.js';

/**
 * The first SSO sign-in makes the user a member with the default role and the rule roles; with
 * `approval: org_admin` the membership waits, pending, until an administrator activates it.
 */
export function createMembership(
  repos: Repositories,
  context: SignInContext,
  userId: string,
): Promise<MembershipRecord> {
  const { roles, ruleRoles } = syncRuleRoles(
    { roles: context.roles.defaultRoles, ruleRoles: [] },
    context.roles.ruleRoles,
  );
  const principal = {
    actor: context.actor,
    scope: { kind: 'organization' as const, organizationId: context.organization.id },
  };
  return insertMembership(repos, principal, context.organization, userId, {
    roles,
    ruleRoles,
    status: context.organization.provisioning.approval === 'org_admin' ? 'pending' : 'active',
  });
}

/** Later sign-ins move the rule-given roles to what the rules say now (see syncRuleRoles). */
export async function refreshMembershipRoles(
  repos: Repositories,
  context: SignInContext,
  membership: MembershipRecord,
): Promise<MembershipRecord> {
  const synced = syncRuleRoles(membership, context.roles.ruleRoles);
  if (sameSet(synced.roles, membership.roles) && sameSet(synced.ruleRoles, membership.ruleRoles)) {
    return membership;
  }
  const after = await repos.memberships.update(membership.id, synced);
  await recordChange(repos, context.actor, {
    organizationId: context.organization.id,
    action: 'membership.update',
    targetType: 'membership',
    targetId: membership.id,
    before: membership,
    after,
  });
  return after;
}
