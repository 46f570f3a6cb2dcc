import type { OrganizationRateLimiter } from '../domain/entitlements/api-rate-limiter.js';
import { clientExtra } from './client-metadata.js';
import type { OidcProvider } from './provider-factory.js';
import { tokenRequestClient, tokenRequestForm } from './token-request.js';

type Middleware = Parameters<OidcProvider['use']>[0];

/**
 * The plan's API rate limit at the token endpoint, for clients an organization owns: counted
 * before the endpoint runs, so a refused request consumes no code and rotates no refresh token.
 * RFC 6749 §5.2 names no error for this; RFC 6585 §4 gives 429 with Retry-After, and the body
 * uses `temporarily_unavailable` (the registered OAuth code for "try again later", RFC 6749
 * §4.1.2.1), as the per-address token limit does (http/middleware/rate-limit.ts).
 */
export function organizationTokenRateLimit(
  provider: OidcProvider,
  limiter: OrganizationRateLimiter,
): Middleware {
  const tokenPath = provider.pathFor('token');
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== tokenPath) return next();
    // Too large for oidc-provider: it answers that itself (the network check already refused it).
    const form = ctx.get('authorization') ? undefined : await tokenRequestForm(ctx);
    const client = await tokenRequestClient(provider, ctx, form === 'too_large' ? undefined : form);
    const owner = clientExtra(client, 'organization_id');
    const wait = typeof owner === 'string' ? await limiter.hit(owner) : undefined;
    if (wait === undefined) return next();
    ctx.status = 429;
    ctx.set('Retry-After', String(wait));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      error: 'temporarily_unavailable',
      error_description: `the organization's API rate limit is reached; retry after ${wait} s`,
    };
  };
}
