import { randomBytes } from 'node:crypto';
import { challengeName } from './domain-names.js';

/** DNS lookups, injected so tests answer with a fake zone instead of the internet. */
export interface DnsResolver {
  /** TXT records at `name`, each as its character-string chunks (node:dns shape). */
  resolveTxt(name: string): Promise<string[][]>;
}

export const newVerificationToken = () => `gatehouse-verification=${randomBytes(18).toString('base64url')}`;

export type VerificationOutcome =
  { verified: true } | { verified: false; reason: 'record_missing' | 'lookup_failed'; detail: string };

/**
 * DNS TXT proof of control: `_gatehouse-challenge.<domain>` must hold the token. A record split
 * into several strings (long TXT values) is joined first, as resolvers return it in chunks.
 */
export async function checkDnsChallenge(
  resolver: DnsResolver,
  pattern: string,
  token: string,
): Promise<VerificationOutcome> {
  const name = challengeName(pattern);
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      return { verified: false, reason: 'record_missing', detail: `no TXT record at ${name}` };
    }
    return {
      verified: false,
      reason: 'lookup_failed',
      detail: `DNS lookup of ${name} failed (${code ?? 'error'})`,
    };
  }
  if (records.some((chunks) => chunks.join('') === token)) return { verified: true };
  return { verified: false, reason: 'record_missing', detail: `no TXT record at ${name} holds the token` };
}
