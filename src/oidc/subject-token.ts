import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import type { SubjectOrganization } from '../domain/tokens/exchange-organization.js';
import { TokenExchangeRefusal } from '../domain/tokens/token-exchange-policy.js';
import { publicJwk, SIGNING_ALGS } from '../lib/jwk.js';
import type { GrantAccessReader } from './organization-claims.js';

/** An access token this Gatehouse issued to a user, as a token exchange reads it. */
export interface SubjectToken {
  userId: string;
  clientId: string;
  scopes: string[];
  /** Expiry, in seconds since the epoch. */
  exp: number;
  organization: SubjectOrganization;
}

const invalid = () => new TokenExchangeRefusal('subject', 'the subject token is not a valid access token');

/**
 * RFC 8693 §2.1: the subject token must be one this server can validate. Ours come in two
 * formats: RFC 9068 JWTs (for an API), checked against the provider's own published keys, and
 * opaque ones (userinfo only), looked up in the store, so a revoked one is gone.
 */
export function createSubjectTokenReader(options: {
  issuer: string;
  jwks: PrivateJwk[];
  readAccess: GrantAccessReader;
}) {
  const keys = createLocalJWKSet({ keys: options.jwks.map(publicJwk) });
  const fromJwt = async (value: string): Promise<SubjectToken> => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(value, keys, {
        issuer: options.issuer,
        // RFC 9068 §4: `typ` tells an access token from an ID or logout token signed by the same keys.
        typ: 'at+jwt',
        algorithms: [...SIGNING_ALGS],
        requiredClaims: ['exp', 'sub', 'client_id'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new TokenExchangeRefusal('subject', 'the subject token has expired');
      }
      if (error instanceof joseErrors.JOSEError) throw invalid();
      throw error;
    }
    const { sub, client_id: clientId, scope, org_id: organizationId, cnf } = payload;
    if (typeof clientId !== 'string' || typeof sub !== 'string') throw invalid();
    refuseSenderConstrained(cnf !== undefined);
    // RFC 9068 §2.2: a token with no resource owner (client credentials) has the client as `sub`.
    if (sub === clientId) {
      throw new TokenExchangeRefusal('subject', 'the subject token does not represent a user');
    }
    return {
      userId: sub,
      clientId,
      scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
      exp: payload.exp!,
      organization: { organizationId: typeof organizationId === 'string' ? organizationId : undefined },
    };
  };

  const fromStore = async (ctx: KoaContextWithOIDC, value: string): Promise<SubjectToken> => {
    const token = await ctx.oidc.provider.AccessToken.find(value);
    if (!token?.isValid || !token.accountId || !token.clientId || token.exp === undefined) throw invalid();
    refuseSenderConstrained(token.isSenderConstrained());
    // The grant's organization binding, read fresh: a revoked membership ends the token's standing.
    const access = token.grantId ? await options.readAccess(ctx, token.grantId) : undefined;
    if (access && access.userId !== token.accountId) throw invalid();
    return {
      userId: token.accountId,
      clientId: token.clientId,
      scopes: [...token.scopes].filter(Boolean),
      exp: token.exp,
      organization: { access },
    };
  };

  // A compact JWS has three dot-separated parts; our opaque token ids never contain a dot.
  return (ctx: KoaContextWithOIDC, value: string): Promise<SubjectToken> =>
    value.split('.').length === 3 ? fromJwt(value) : fromStore(ctx, value);
}
export type SubjectTokenReader = ReturnType<typeof createSubjectTokenReader>;

/**
 * A DPoP- or mTLS-bound token (RFC 9449, RFC 8705) may only be used with proof of its key.
 * Exchanging it for a bearer token would drop that binding, so it is refused until exchanges
 * carry the binding over.
 */
function refuseSenderConstrained(bound: boolean): void {
  if (bound) {
    throw new TokenExchangeRefusal('subject', 'sender-constrained subject tokens are not supported yet');
  }
}
