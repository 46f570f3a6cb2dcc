import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];

/**
 * RFC 6749 §5.2: a client that authenticated at the token endpoint but is not registered for the
 * grant type it used gets `unauthorized_client` (RFC 8693 §2.2.2 answers from the same list).
 * oidc-provider says `invalid_request` there; this restores the RFC's code. The condition is
 * re-derived from the request (client and grant type), not read from the library's wording.
 */
export function unauthorizedClientErrors(): Middleware {
  return async (koaContext, next) => {
    await next();
    const ctx = koaContext as unknown as Partial<KoaContextWithOIDC>;
    const body = ctx.body as { error?: unknown } | undefined;
    if (ctx.oidc?.route !== 'token' || body?.error !== 'invalid_request') return;
    const grantType = ctx.oidc.params?.grant_type;
    const client = ctx.oidc.client;
    if (typeof grantType === 'string' && client && !client.grantTypeAllowed(grantType)) {
      body.error = 'unauthorized_client';
    }
  };
}
