import type { JWTPayload } from 'jose';
import { boundedMap } from '../lib/bounded-map.js';
import { deepFrozen } from '../lib/deep-frozen.js';

/** One token's place in the memory: what was verified of it, if anything, and how to keep it. */
export interface VerifiedEntry {
  payload: JWTPayload | undefined;
  keep(payload: JWTPayload): JWTPayload;
}

/**
 * The JWTs a verifier has lately found good, by kind and whole token: a token presented again
 * (the subject of several exchanges, an MCP client's calls, a resource server's repeated
 * introspections) skips the signature check, which costs more than anything else in such a
 * request. Only the very same string is recognized, so no token is taken for another; its
 * signature, issuer and type cannot change, so its times are all that needs checking again
 * (own-jwt.ts). The verifier lives as long as its keys, and the memory with it. Holds at most
 * `capacity` tokens of each kind, forgetting the least recently verified first. The tokens are
 * kept whole: they are this issuer's own, in a process that holds the keys that sign them.
 * Payloads are shared, so frozen.
 */
export function verifiedJwts(capacity = 10_000) {
  const byKind = new Map<string, ReturnType<typeof boundedMap<JWTPayload>>>();
  return {
    entry(kind: string, token: string): VerifiedEntry {
      const known = byKind.get(kind) ?? byKind.set(kind, boundedMap(capacity)).get(kind)!;
      return {
        payload: known.get(token),
        keep(payload) {
          const kept = deepFrozen(payload);
          known.set(token, kept);
          return kept;
        },
      };
    },
  };
}
