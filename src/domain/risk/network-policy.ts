import type { GeoLookup } from '../ports/risk.js';
import { outsideAllowedCountries } from './geo-fence.js';
import { outsideAllowlist } from './outside-allowlist.js';
import { networkPolicyOf, type RiskPolicyValues } from './risk-policy.js';

/** Which of the organization's network rules a request breaks; the text names the rule, never the address. */
export interface NetworkRefusal {
  policy: 'ip_allowlist' | 'allowed_countries';
  description: string;
}

const REFUSALS: Record<NetworkRefusal['policy'], string> = {
  ip_allowlist:
    "the request comes from outside the organization's IP allowlist (security policy ip_allowlist)",
  allowed_countries:
    'the request comes from a country the organization does not allow (security policy allowed_countries)',
};

/**
 * The organization's `ip_allowlist` and `allowed_countries` for one request: applied to every
 * sign-in and every token issued for the organization (codes, refreshes, client credentials,
 * exchanges), so a token cannot be used to step around the rule its sign-in met.
 */
export function createNetworkPolicy(deps: {
  policiesOf(organizationId: string): Promise<RiskPolicyValues>;
  geo: GeoLookup;
}) {
  return async (organizationId: string, ip: string): Promise<NetworkRefusal | undefined> => {
    const network = networkPolicyOf(await deps.policiesOf(organizationId));
    if (outsideAllowlist(ip, network)) return { policy: 'ip_allowlist', description: REFUSALS.ip_allowlist };
    if (network.allowedCountries?.length && outsideAllowedCountries(deps.geo(ip), network)) {
      return { policy: 'allowed_countries', description: REFUSALS.allowed_countries };
    }
    return undefined;
  };
}
export type NetworkPolicyCheck = ReturnType<typeof createNetworkPolicy>;
