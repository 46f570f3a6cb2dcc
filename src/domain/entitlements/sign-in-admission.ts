import type { Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { accessEnd, contractPlan, entitlementsOf, monthOf } from './effective-entitlements.js';
import { contractOf } from './entitlement-checks.js';

/** Why the contract turns an SSO sign-in away (see sso-refusal.ts for the words). */
export type ContractRefusal = 'organization_frozen' | 'organization_access_ended' | 'feature_not_in_plan';

/**
 * The kill switch and the contract, for a sign-in through one of the organization's connections:
 * frozen (it or an ancestor), trial or contract over, or a plan without SSO.
 */
export function contractRefusal(
  chain: readonly Pick<OrganizationRecord, 'frozenAt' | 'plan'>[],
  at: Date,
): ContractRefusal | undefined {
  if (chain.some((org) => org.frozenAt !== null)) return 'organization_frozen';
  const entitlements = entitlementsOf(contractPlan(chain));
  if (accessEnd(entitlements, at)) return 'organization_access_ended';
  if (!entitlements.features.sso) return 'feature_not_in_plan';
  return undefined;
}

/**
 * Monthly active users: a user already counted this month (anywhere in the contract) always gets
 * in; a new one (`userId` undefined: not even an account yet) only while the contract is under
 * its quota. Two new users racing for the last place may both get in (the count is read, not
 * locked): the quota is a contract term, not a security boundary.
 */
export async function monthlyQuotaReached(
  repos: Repositories,
  organizationId: string,
  userId: string | undefined,
  at: Date,
): Promise<boolean> {
  const { chain, entitlements } = await contractOf(repos, organizationId);
  const quota = entitlements.quotas.monthlyActiveUsers;
  if (quota === null) return false;
  const ids = await repos.organizations.subtreeIds(chain[chain.length - 1]!.id);
  const month = monthOf(at);
  if (userId !== undefined && (await repos.monthlyActiveUsers.has(ids, month, userId))) return false;
  return (await repos.monthlyActiveUsers.count(ids, month)) >= quota;
}
