import type { Repositories } from '../ports/repositories.js';
import { effectivePolicies } from '../organizations/security-policies.js';
import type { RiskPolicyValues } from './risk-policy.js';

/** The organization's effective policy values the risk engine reads, inherited down the tree. */
export function riskPoliciesOf(repos: Pick<Repositories, 'organizations'>) {
  return async (organizationId: string): Promise<RiskPolicyValues> =>
    effectivePolicies(await repos.organizations.chain(organizationId)).values;
}
