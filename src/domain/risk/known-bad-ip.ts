import { ipInAny } from '../../lib/cidr.js';
import type { RiskSignal } from '../ports/risk.js';
import { BLOCKING_POINTS } from './outside-allowlist.js';

/** The address is on the deployment's known-bad list (RISK_KNOWN_BAD_IPS). */
export function knownBadIp(ip: string, knownBadNetworks: readonly string[]): RiskSignal | undefined {
  if (!ipInAny(knownBadNetworks, ip)) return undefined;
  return {
    name: 'known_bad_ip',
    points: BLOCKING_POINTS,
    detail: `${ip} is on the deployment's known-bad address list`,
  };
}
