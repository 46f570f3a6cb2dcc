import { isIP } from 'node:net';

/** Whether `value` is an IPv4 or IPv6 network in CIDR notation (`198.51.100.0/24`, `2001:db8::/32`). */
export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !address || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

interface Address {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

// ::ffff:0:0/96 (RFC 4291 section 2.5.5.2): an IPv4 address carried in IPv6 notation.
// Dual-stack sockets report IPv4 peers this way, so both spellings must match the same ranges.
const MAPPED_PREFIX = 0xffffn << 32n;
const MAPPED_MASK = ((1n << 96n) - 1n) << 32n;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || isIP(text) !== 4) return undefined;
  return parts.reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (isIP(text) !== 6) return undefined;
  let rest = text.replace(/%.*$/, ''); // zone index (fe80::1%eth0) does not select a network
  const lastColon = rest.lastIndexOf(':');
  const embedded = rest.slice(lastColon + 1);
  if (embedded.includes('.')) {
    // Trailing dotted quad (::ffff:1.2.3.4): rewrite it as the two hex groups it stands for.
    const v4 = parseIpv4(embedded);
    if (v4 === undefined) return undefined;
    rest = `${rest.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tailText] = rest.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tailText === undefined || tailText === '' ? [] : tailText.split(':');
  const zeros = tailText === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [
    ...headGroups.map((g) => parseInt(g, 16)),
    ...Array<number>(Math.max(zeros, 0)).fill(0),
    ...tailGroups.map((g) => parseInt(g, 16)),
  ];
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) return undefined;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** Parses an address, folding IPv4-mapped IPv6 (`::ffff:1.2.3.4`) onto plain IPv4. */
function parseAddress(text: string): Address | undefined {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseIpv6(trimmed.replace(/^\[|\]$/g, ''));
  if (v6 === undefined) return undefined;
  if ((v6 & MAPPED_MASK) === MAPPED_PREFIX) return { bits: 32, value: v6 & 0xffffffffn };
  return { bits: 128, value: v6 };
}

function parseNetwork(cidr: string): { address: Address; prefix: number } | undefined {
  if (!isCidr(cidr.trim())) return undefined;
  const [addressText = '', prefixText = ''] = cidr.trim().split('/');
  const address = parseAddress(addressText);
  if (!address) return undefined;
  let prefix = Number(prefixText);
  // A mapped network (::ffff:192.0.2.0/120) is the IPv4 network 192.0.2.0/24; shorter prefixes
  // reach outside the mapped block, so they stay IPv6 and never match an IPv4 address.
  if (address.bits === 32 && isIP(addressText) === 6) {
    if (prefix < 96) return undefined;
    prefix -= 96;
  }
  return { address, prefix };
}

/**
 * Whether `ip` lies in the network `cidr`. IPv4 and IPv6 are both supported, and an IPv4-mapped
 * IPv6 address (`::ffff:203.0.113.9`) matches the IPv4 network it maps to. Malformed input never
 * matches (fail closed: an allowlist must not be widened by a typo).
 */
export function cidrContains(cidr: string, ip: string): boolean {
  const network = parseNetwork(cidr);
  const address = parseAddress(ip);
  if (!network || !address || network.address.bits !== address.bits) return false;
  const shift = BigInt(address.bits - network.prefix);
  return network.address.value >> shift === address.value >> shift;
}

/** Whether `ip` lies in at least one of `cidrs`; an empty list matches nothing. */
export function ipInAny(cidrs: readonly string[], ip: string): boolean {
  return cidrs.some((cidr) => cidrContains(cidr, ip));
}
