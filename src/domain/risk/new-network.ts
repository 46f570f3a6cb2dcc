import { isIP } from 'node:net';
import { cidrContains } from '../../lib/cidr.js';
import type { RiskSignal } from '../ports/risk.js';
import { succeededBefore, type RiskInputs } from './risk-inputs.js';

export const NEW_NETWORK_POINTS = 25;

/**
 * The network an address belongs to for "have we seen it": its /24 for IPv4, its /48 for IPv6
 * (a typical site allocation, RFC 6177), so a DHCP lease or a new privacy address is not "new".
 */
export function networkOf(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) return `${ip}/48`;
  return undefined;
}

const sameNetwork = (a: string, b: string) => {
  const network = networkOf(a);
  return network !== undefined && cidrContains(network, b);
};

/** No earlier successful sign-in of the user came from the same /24 (IPv4) or /48 (IPv6). */
export function newNetwork(inputs: Pick<RiskInputs, 'ip' | 'history'>): RiskSignal | undefined {
  const known = succeededBefore(inputs.history);
  if (known.length === 0) return undefined;
  if (known.some((record) => sameNetwork(record.ip, inputs.ip))) return undefined;
  const network = networkOf(inputs.ip) ?? inputs.ip;
  return {
    name: 'new_network',
    points: NEW_NETWORK_POINTS,
    detail: `no earlier successful sign-in of this user came from ${network}`,
  };
}
