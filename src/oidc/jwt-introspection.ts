import type { JWTPayload } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import type { IntrospectionPolicy } from './organization-claims.js';
import { looksLikeJwt, OwnJwtRejected, type OwnJwtVerifier } from './own-jwt.js';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];

export interface JwtIntrospectionOptions {
  verify: OwnJwtVerifier;
  /** The same policy opaque tokens pass (organization-claims.ts): who may see what. */
  allowedPolicy: IntrospectionPolicy;
  tenancy: Pick<OrganizationAccess, 'forUser'>;
}

/**
 * RFC 7662 introspection of Gatehouse's own JWT access tokens (RFC 9068), which oidc-provider
 * refuses (`unsupported_token_type`) because it keeps no copy of them. A resource server that
 * must learn of revocation before `exp` (an organization membership that ended, a support
 * impersonation that was revoked) needs an answer for them too. Runs after the library has
 * authenticated the client, so only its refusal of a JWT is replaced; the answer is `active:
 * false` unless the signature, issuer and expiry hold, the client may see the token, the user
 * still stands in the token's organization and any impersonation behind it is live.
 */
export function jwtIntrospection(options: JwtIntrospectionOptions): Middleware {
  return async (koaContext, next) => {
    await next();
    const ctx = koaContext as unknown as KoaContextWithOIDC;
    const body = ctx.body as { error?: unknown } | undefined;
    if (ctx.oidc?.route !== 'introspection' || body?.error !== 'unsupported_token_type') return;
    const token = ctx.oidc.params?.token;
    const client = ctx.oidc.client;
    if (typeof token !== 'string' || !looksLikeJwt(token) || !client) return;
    const payload = await activePayload(ctx, options, token);
    ctx.status = 200;
    ctx.body = payload ? { ...payload, active: true, token_type: 'Bearer' } : { active: false };
  };
}

async function activePayload(
  ctx: KoaContextWithOIDC,
  options: JwtIntrospectionOptions,
  token: string,
): Promise<JWTPayload | undefined> {
  let payload: JWTPayload;
  try {
    payload = await options.verify(token, 'access_token');
  } catch (error) {
    if (error instanceof OwnJwtRejected) return undefined;
    throw error;
  }
  const { sub, client_id: clientId, org_id: organizationId } = payload;
  if (typeof clientId !== 'string') return undefined;
  const allowed = await options.allowedPolicy(ctx, ctx.oidc.client!, { clientId, extra: payload });
  if (!allowed) return undefined;
  // A user's token speaks for its organization only while the membership stands (RFC 9068 §4:
  // the claims were true when signed; introspection says whether they still are).
  if (typeof organizationId === 'string' && typeof sub === 'string' && sub !== clientId) {
    const access = await options.tenancy.forUser(organizationId, sub);
    if (!access || access.denied) return undefined;
  }
  return payload;
}
