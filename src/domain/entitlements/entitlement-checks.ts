import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { contractPlan, entitlementsOf, type Entitlements } from './effective-entitlements.js';
import type { Feature } from './tiers.js';

const FEATURE_NAMES: Record<Feature, string> = {
  sso: 'Enterprise single sign-on',
  scim: 'SCIM directory sync',
  custom_domain: 'Custom domains',
  impersonation: 'Support impersonation',
};

export const featureRefusal = (feature: Feature) =>
  new ForbiddenError(
    `${FEATURE_NAMES[feature]} is not part of this organization's plan; ask the operator to change the plan`,
    'feature_not_in_plan',
  );

/** The organization's chain (nearest first) and the entitlements of its contract (the root's plan). */
export async function contractOf(
  repos: Repositories,
  organizationId: string,
): Promise<{ chain: OrganizationRecord[]; entitlements: Entitlements }> {
  const chain = await repos.organizations.chain(organizationId);
  if (chain.length === 0) throw new NotFoundError(`organization ${organizationId}`);
  return { chain, entitlements: entitlementsOf(contractPlan(chain)) };
}

/** Throws ForbiddenError `feature_not_in_plan` (403) when the contract does not include it. */
export async function assertFeature(repos: Repositories, organizationId: string, feature: Feature) {
  const { entitlements } = await contractOf(repos, organizationId);
  if (!entitlements.features[feature]) throw featureRefusal(feature);
}

/** Every connection of the contract (the root and all its sub-organizations). */
export async function connectionsUsed(repos: Repositories, chain: readonly OrganizationRecord[]) {
  const root = chain[chain.length - 1]!;
  const ids = await repos.organizations.subtreeIds(root.id);
  const lists = await Promise.all(ids.map((id) => repos.connections.listFor(id)));
  return lists.reduce((sum, list) => sum + list.length, 0);
}

/**
 * A new upstream connection needs SSO in the plan and room under its connection quota (counted
 * across the contract). Called inside the creating transaction.
 */
export async function assertConnectionAllowed(repos: Repositories, organizationId: string) {
  const { chain, entitlements } = await contractOf(repos, organizationId);
  if (!entitlements.features.sso) throw featureRefusal('sso');
  const quota = entitlements.quotas.connections;
  if (quota === null) return;
  const used = await connectionsUsed(repos, chain);
  if (used >= quota) {
    throw new ForbiddenError(
      `the plan allows ${quota} connection${quota === 1 ? '' : 's'} and ${used} exist; remove one or ask the operator to raise the quota`,
      'quota_exceeded',
    );
  }
}
