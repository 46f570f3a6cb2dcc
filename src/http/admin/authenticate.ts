import type { Middleware } from 'koa';
import type { AdminPrincipal } from '../../domain/organizations/admin-principal.js';
import { ProblemError } from './problem.js';

/** Resolves an API key to its principal; undefined when unknown, expired or revoked. */
export type Authenticate = (apiKey: string) => Promise<AdminPrincipal | undefined>;

export const ADMIN_REALM = 'gatehouse-admin';
// RFC 6750 §2.1 token68 syntax, with the `gh_` prefix every admin API key carries.
const API_KEY = /^gh_[A-Za-z0-9\-._~+/]{1,500}=*$/;

function unauthorized(code: string, detail: string, tokenError?: string): ProblemError {
  // RFC 6750 §3.1: a request that sent no credentials gets the bare challenge, without an error code.
  const challenge = tokenError
    ? `Bearer realm="${ADMIN_REALM}", error="${tokenError}", error_description="${detail}"`
    : `Bearer realm="${ADMIN_REALM}"`;
  return new ProblemError(401, code, detail, { 'WWW-Authenticate': challenge });
}

/** `Authorization: Bearer gh_...`; sets `ctx.state.principal` for everything below it. */
export function authenticateBearer(authenticate: Authenticate): Middleware {
  return async (ctx, next) => {
    const [scheme, credentials, ...rest] = ctx.get('Authorization').trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !credentials || rest.length > 0) {
      throw unauthorized('unauthorized', 'Send an admin API key as `Authorization: Bearer gh_...`.');
    }
    // Anything else (an OIDC access token, a truncated paste) is refused before any lookup.
    const principal = API_KEY.test(credentials) ? await authenticate(credentials) : undefined;
    if (!principal) {
      throw unauthorized(
        'invalid_api_key',
        'The API key is not valid: it is unknown, expired or revoked.',
        'invalid_token',
      );
    }
    ctx.state.principal = principal;
    await next();
  };
}
