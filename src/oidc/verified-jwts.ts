import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { deepFrozen } from '../lib/deep-frozen.js';

/** One token's place in the memory: what was verified of it, if anything, and how to keep it. */
export interface VerifiedEntry {
  payload: JWTPayload | undefined;
  keep(payload: JWTPayload): JWTPayload;
}

/**
 * The JWTs a verifier has lately found good, by a digest of kind and token (the token, a bearer
 * credential, is not itself kept): a token presented again (the subject of several exchanges, an
 * MCP client's calls, a resource server's repeated introspections) skips the signature check,
 * which costs more than anything else in such a request. A token's signature, issuer and type
 * cannot change, so its times are all that needs checking again (own-jwt.ts). The verifier lives
 * as long as its keys, and the memory with it. Holds at most `capacity` tokens, forgetting the
 * least recently verified first; payloads are shared, so frozen.
 */
export function verifiedJwts(capacity = 10_000) {
  const known = new Map<string, JWTPayload>();
  return {
    entry(kind: string, token: string): VerifiedEntry {
      const key = createHash('sha256').update(kind).update('\u0000').update(token).digest('base64url');
      return {
        payload: known.get(key),
        keep(payload) {
          const kept = deepFrozen(payload);
          known.delete(key);
          known.set(key, kept);
          if (known.size > capacity) known.delete(known.keys().next().value as string);
          return kept;
        },
      };
    },
  };
}
