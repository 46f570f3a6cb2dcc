import type { GeoLocation, RiskSignal } from '../ports/risk.js';
import { BLOCKING_POINTS } from './outside-allowlist.js';
import type { NetworkPolicy } from './risk-inputs.js';

/**
 * The organization's `allowed_countries` is set and the address is in another country, or in
 * none the database knows: a fence that lets unknown places through would be no fence.
 */
export function outsideAllowedCountries(
  location: GeoLocation | undefined,
  network: NetworkPolicy,
): RiskSignal | undefined {
  const allowed = network.allowedCountries;
  if (!allowed || allowed.length === 0) return undefined;
  if (location && allowed.includes(location.country)) return undefined;
  const where = location ? `in ${location.country}` : 'in no country the GeoIP database knows';
  return {
    name: 'outside_allowed_countries',
    points: BLOCKING_POINTS,
    detail: `the address is ${where}; allowed_countries is ${allowed.join(', ')}`,
  };
}
