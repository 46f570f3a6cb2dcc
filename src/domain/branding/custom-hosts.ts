import { normalizeDomainPattern, isWildcard } from '../organizations/domain-names.js';

/**
 * A host name as a custom login domain is stored and compared: lower-case ASCII (punycode), no
 * port, no trailing dot, at least two labels, not an IP address and not a wildcard. Undefined
 * when `input` is none of that.
 */
export function normalizeCustomHost(input: string): string | undefined {
  // Only name characters: URL parsing would quietly drop a path or port (`host/x` -> `host`).
  if (!/^[\p{L}\p{N}.-]+$/u.test(input)) return undefined;
  const host = normalizeDomainPattern(input);
  if (!host || isWildcard(host)) return undefined;
  return host;
}

/**
 * The host a request named, port and trailing dot removed (RFC 9110 §7.2: Host is
 * `uri-host [ ":" port ]`). IPv6 literals (`[::1]:3000`) and anything malformed give undefined:
 * they can never be a custom domain.
 */
export function requestHost(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const first = raw.split(',')[0]!.trim();
  if (first.startsWith('[')) return undefined;
  const host = first.replace(/:\d*$/, '');
  return normalizeCustomHost(host);
}
