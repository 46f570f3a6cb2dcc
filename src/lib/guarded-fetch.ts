import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a server-side request to a URL someone else chose must not reach: loopback, private
 * networks (RFC 1918, RFC 4193), link-local (cloud metadata at 169.254.169.254), carrier-grade
 * NAT, "this network", and IPv4-mapped IPv6 forms of them.
 */
export function internalAddresses(): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
    list.addSubnet(`::ffff:${network}`, 96 + prefix, 'ipv6');
  }
  list.addAddress('::', 'ipv6');
  list.addAddress('::1', 'ipv6');
  list.addSubnet('fc00::', 7, 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  return list;
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

/**
 * A fetch for POSTs to URLs tenants register (webhooks): the address is checked when the
 * connection is made, after DNS resolution, so a name that resolves to an internal address (or
 * is re-pointed there after it was registered) is refused. Only what postEvent uses: method,
 * headers, a string body, an abort signal; redirects are never followed.
 */
export function createGuardedFetch(blocked: BlockList): typeof fetch {
  const refuse = (host: string, address: string) =>
    new RefusedAddressError(`${host} resolves to ${address}, an internal address webhooks may not reach`);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((entry) => blocked.check(entry.address, familyOf(entry.address)));
      if (bad) return callback(refuse(hostname, bad.address), '', 0);
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };

  return ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && blocked.check(host, familyOf(host))) return reject(refuse(host, host));
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          lookup,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          response.resume();
          resolve(new Response(null, { status: response.statusCode ?? 502 }));
        },
      );
      request.on('error', reject);
      request.end(typeof init.body === 'string' ? init.body : undefined);
    })) as typeof fetch;
}
