import { ipInAny } from '../../lib/cidr.js';
import type { RiskSignal } from '../ports/risk.js';
import type { NetworkPolicy } from './risk-inputs.js';

/** Blocking signals deny whatever the score: they are rules, not guesses. */
export const BLOCKING_POINTS = 100;

/** The organization's `ip_allowlist` is set and the address is in none of its networks. */
export function outsideAllowlist(ip: string, network: NetworkPolicy): RiskSignal | undefined {
  const allowlist = network.ipAllowlist;
  if (!allowlist || allowlist.length === 0 || ipInAny(allowlist, ip)) return undefined;
  return {
    name: 'outside_allowlist',
    points: BLOCKING_POINTS,
    detail: `${ip} is in none of the organization's ip_allowlist networks (${allowlist.join(', ')})`,
  };
}
