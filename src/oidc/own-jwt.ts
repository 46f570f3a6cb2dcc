import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import { publicJwk, SIGNING_ALGS } from '../lib/jwk.js';

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
 * and a logout token (OIDC Back-Channel Logout §2.4, `events`) passes for neither.
 */
export function createOwnJwtVerifier(options: { issuer: string; jwks: PrivateJwk[] }) {
  const keys = createLocalJWKSet({ keys: options.jwks.map(publicJwk) });
  return async (value: string, kind: OwnJwtKind): Promise<JWTPayload> => {
    let payload: JWTPayload;
    try {
      if (kind === 'id_token' && decodeProtectedHeader(value).typ === 'at+jwt')
        throw new OwnJwtRejected(false);
      ({ payload } = await jwtVerify(value, keys, {
        issuer: options.issuer,
        ...(kind === 'access_token' ? { typ: 'at+jwt' } : {}),
        algorithms: [...SIGNING_ALGS],
        requiredClaims: kind === 'access_token' ? ['exp', 'sub', 'client_id'] : ['exp', 'sub', 'aud'],
      }));
    } catch (error) {
      if (error instanceof OwnJwtRejected) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new OwnJwtRejected(true);
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError)
        throw new OwnJwtRejected(false);
      throw error;
    }
    if (kind === 'id_token' && payload.events !== undefined) throw new OwnJwtRejected(false);
    return payload;
  };
}
export type OwnJwtVerifier = ReturnType<typeof createOwnJwtVerifier>;
