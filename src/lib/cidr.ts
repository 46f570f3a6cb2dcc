import { isIP } from 'node:net';

/** Whether `value` is an IPv4 or IPv6 network in CIDR notation (`198.51.100.0/24`, `2001:db8::/32`). */
export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !address || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
