import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import { publicJwk, SIGNING_ALGS } from '../lib/jwk.js';
import { verifiedJwts } from './verified-jwts.js';

/** Why a JWT that claims to be ours is not accepted. */
export class OwnJwtRejected extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'expired' : 'invalid');
  }
}

/** RFC 9068 access tokens and OIDC ID tokens: the two JWTs this issuer hands to clients. */
export type OwnJwtKind = 'access_token' | 'id_token';

/** A compact JWS has three dot-separated parts; our opaque token ids never contain a dot. */
export const looksLikeJwt = (value: string) => value.split('.').length === 3;

/**
 * Verifies a JWT against the provider's own published keys and issuer. The kinds are told apart
 * by `typ` (RFC 9068 §4: `at+jwt` marks access tokens) so that one can never pass for the other,
 * and a logout token (OIDC Back-Channel Logout §2.4, `events`) passes for neither. A token found
 * good before is only checked for its times again (verified-jwts.ts).
 */
export function createOwnJwtVerifier(options: { issuer: string; jwks: PrivateJwk[]; now?: () => number }) {
  const keys = createLocalJWKSet({ keys: options.jwks.map(publicJwk) });
  const verified = verifiedJwts();
  const now = options.now ?? Date.now;
  return async (value: string, kind: OwnJwtKind): Promise<JWTPayload> => {
    const known = verified.entry(kind, value);
    if (known.payload) return stillInTime(known.payload, now());
    let payload: JWTPayload;
    try {
      if (kind === 'id_token' && decodeProtectedHeader(value).typ === 'at+jwt')
        throw new OwnJwtRejected(false);
      ({ payload } = await jwtVerify(value, keys, {
        issuer: options.issuer,
        ...(kind === 'access_token' ? { typ: 'at+jwt' } : {}),
        algorithms: [...SIGNING_ALGS],
        requiredClaims: kind === 'access_token' ? ['exp', 'sub', 'client_id'] : ['exp', 'sub', 'aud'],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (error instanceof OwnJwtRejected) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new OwnJwtRejected(true);
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError)
        throw new OwnJwtRejected(false);
      throw error;
    }
    if (kind === 'id_token' && payload.events !== undefined) throw new OwnJwtRejected(false);
    return known.keep(payload);
  };
}
export type OwnJwtVerifier = ReturnType<typeof createOwnJwtVerifier>;

/** jwtVerify's checks of the times (seconds, no tolerance), for a payload it accepted before. */
function stillInTime(payload: JWTPayload, nowMs: number): JWTPayload {
  const seconds = Math.floor(nowMs / 1000);
  if (typeof payload.nbf === 'number' && payload.nbf > seconds) throw new OwnJwtRejected(false);
  if (typeof payload.exp === 'number' && payload.exp <= seconds) throw new OwnJwtRejected(true);
  return payload;
}
