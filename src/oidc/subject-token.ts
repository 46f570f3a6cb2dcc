import type { JWTPayload } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { readActorClaim, type ActorClaim } from '../domain/tokens/actor-claim.js';
import type { SubjectOrganization } from '../domain/tokens/exchange-organization.js';
import { TokenExchangeRefusal } from '../domain/tokens/token-exchange-policy.js';
import type { GrantAccessReader } from './organization-claims.js';
import { looksLikeJwt, OwnJwtRejected, type OwnJwtVerifier } from './own-jwt.js';

/** An access token this Gatehouse issued to a user, as a token exchange reads it. */
export interface SubjectToken {
  userId: string;
  clientId: string;
  scopes: string[];
  /** Expiry, in seconds since the epoch. */
  exp: number;
  organization: SubjectOrganization;
  /** The token's own RFC 8693 `act`, when it was itself the result of a delegation. */
  act?: ActorClaim | undefined;
  /** RFC 8176 methods of the sign-in behind it, when the token states them (JWT access tokens). */
  amr?: string[] | undefined;
}

const invalid = () => new TokenExchangeRefusal('subject', 'the subject token is not a valid access token');

/**
 * RFC 8693 §2.1: the subject token must be one this server can validate. Ours come in two
 * formats: RFC 9068 JWTs (for an API), checked against the provider's own published keys, and
 * opaque ones (userinfo only), looked up in the store, so a revoked one is gone.
 */
export function createSubjectTokenReader(options: { verify: OwnJwtVerifier; readAccess: GrantAccessReader }) {
  const fromJwt = async (value: string): Promise<SubjectToken> => {
    let payload: JWTPayload;
    try {
      payload = await options.verify(value, 'access_token');
    } catch (error) {
      if (!(error instanceof OwnJwtRejected)) throw error;
      throw error.expired ? new TokenExchangeRefusal('subject', 'the subject token has expired') : invalid();
    }
    const { sub, client_id: clientId, scope, org_id: organizationId, cnf } = payload;
    if (typeof clientId !== 'string' || typeof sub !== 'string') throw invalid();
    refuseSenderConstrained(cnf !== undefined);
    refuseImpersonation(payload.impersonation);
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
      act: actorOf(payload.act),
      amr: Array.isArray(payload.amr) ? payload.amr.filter((value) => typeof value === 'string') : undefined,
    };
  };

  const fromStore = async (ctx: KoaContextWithOIDC, value: string): Promise<SubjectToken> => {
    const token = await ctx.oidc.provider.AccessToken.find(value);
    if (!token?.isValid || !token.accountId || !token.clientId || token.exp === undefined) throw invalid();
    refuseSenderConstrained(token.isSenderConstrained());
    refuseImpersonation(token.extra?.impersonation);
    // The grant's organization binding, read fresh: a revoked membership ends the token's standing.
    const access = token.grantId ? await options.readAccess(ctx, token.grantId) : undefined;
    if (access && access.userId !== token.accountId) throw invalid();
    return {
      userId: token.accountId,
      clientId: token.clientId,
      scopes: [...token.scopes].filter(Boolean),
      exp: token.exp,
      organization: { access },
      act: actorOf(token.extra?.act),
    };
  };

  return (ctx: KoaContextWithOIDC, value: string): Promise<SubjectToken> =>
    looksLikeJwt(value) ? fromJwt(value) : fromStore(ctx, value);
}
export type SubjectTokenReader = ReturnType<typeof createSubjectTokenReader>;

function actorOf(value: unknown): ActorClaim | undefined {
  try {
    return readActorClaim(value);
  } catch {
    throw invalid();
  }
}

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

/**
 * A support impersonation's tokens are bounded by what its approval allowed (permissions, end
 * time), not by the user's standing; an exchange recomputes from the user's standing, so it would
 * widen them. The operator exchanges the impersonation handle again instead.
 */
export function refuseImpersonation(claim: unknown, role: 'subject' | 'actor' = 'subject'): void {
  if (claim !== undefined) {
    throw new TokenExchangeRefusal(
      role,
      `the ${role} token comes from a support impersonation and cannot be exchanged`,
    );
  }
}
