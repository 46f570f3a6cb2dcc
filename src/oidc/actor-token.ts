import type { JWTPayload } from 'jose';
import { decodeProtectedHeader } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Actor } from '../domain/tokens/actor-claim.js';
import {
  ACCESS_TOKEN_TYPE,
  ID_TOKEN_TYPE,
  TokenExchangeRefusal,
} from '../domain/tokens/token-exchange-policy.js';
import { looksLikeJwt, OwnJwtRejected, type OwnJwtKind, type OwnJwtVerifier } from './own-jwt.js';
import { refuseImpersonation } from './subject-token.js';

/** The acting party an actor token proves, and the client the token was issued to. */
export interface ActorToken {
  actor: Actor;
  /** The client the token was issued to (an ID token's audience), for the exchange policy. */
  clientId: string;
  /** Expiry, in seconds since the epoch: the exchanged token never outlives the actor's proof. */
  exp: number;
}

const invalid = () =>
  new TokenExchangeRefusal('actor', 'the actor token is not a valid token of this issuer');

/**
 * RFC 8693 §2.1 `actor_token`: a token of this issuer representing the acting party, validated
 * like a subject token. An access token names a user, or a client when it was issued by client
 * credentials (RFC 9068 §2.2: `sub` is then the client); an ID token names a user signed in at
 * its audience. `urn:...:jwt` takes either JWT, told apart by `typ`.
 */
export function createActorTokenReader(options: { verify: OwnJwtVerifier }) {
  const fromJwt = async (value: string, kind: OwnJwtKind): Promise<ActorToken> => {
    let payload: JWTPayload;
    try {
      payload = await options.verify(value, kind);
    } catch (error) {
      if (!(error instanceof OwnJwtRejected)) throw error;
      throw error.expired ? new TokenExchangeRefusal('actor', 'the actor token has expired') : invalid();
    }
    if (payload.cnf !== undefined) throw invalid();
    refuseImpersonation(payload.impersonation, 'actor');
    const clientId = kind === 'access_token' ? payload.client_id : audienceClient(payload);
    if (typeof clientId !== 'string' || typeof payload.sub !== 'string') throw invalid();
    return { actor: { sub: payload.sub, clientId }, clientId, exp: payload.exp! };
  };

  const fromStore = async (ctx: KoaContextWithOIDC, value: string): Promise<ActorToken> => {
    const { provider } = ctx.oidc;
    const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
    if (!token?.isValid || !token.clientId || token.exp === undefined) throw invalid();
    if (token.isSenderConstrained()) throw invalid();
    refuseImpersonation(token.extra?.impersonation, 'actor');
    const sub = 'accountId' in token && token.accountId ? token.accountId : token.clientId;
    return { actor: { sub, clientId: token.clientId }, clientId: token.clientId, exp: token.exp };
  };

  return async (ctx: KoaContextWithOIDC, value: string, type: string): Promise<ActorToken> => {
    if (type === ACCESS_TOKEN_TYPE)
      return looksLikeJwt(value) ? fromJwt(value, 'access_token') : fromStore(ctx, value);
    if (!looksLikeJwt(value)) throw invalid();
    if (type === ID_TOKEN_TYPE) return fromJwt(value, 'id_token');
    return fromJwt(value, typOf(value) === 'at+jwt' ? 'access_token' : 'id_token');
  };
}
export type ActorTokenReader = ReturnType<typeof createActorTokenReader>;

/** OIDC Core §2: `azp` names the client when `aud` lists several; otherwise `aud` is the client. */
function audienceClient(payload: JWTPayload): string | undefined {
  if (typeof payload.azp === 'string') return payload.azp;
  if (typeof payload.aud === 'string') return payload.aud;
  return payload.aud?.length === 1 ? payload.aud[0] : undefined;
}

function typOf(value: string): string | undefined {
  try {
    return decodeProtectedHeader(value).typ;
  } catch {
    throw invalid();
  }
}
