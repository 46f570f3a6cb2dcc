import { parse as parseQuery } from 'node:querystring';
import type { OrganizationRateLimiter } from '../domain/entitlements/api-rate-limiter.js';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
type Context = Parameters<Middleware>[0];

/** oidc-provider's own limit for a token request body (lib/shared/selective_body.js). */
const MAX_BODY_BYTES = 56 * 1024;

/**
 * The form of a token request. An earlier middleware may have read it already (network-policy.ts
 * leaves it on ctx.request.body); otherwise it is read here and left there the same way, where
 * oidc-provider looks for a body parsed upstream (selective_body.js).
 */
async function formOf(ctx: Context): Promise<Record<string, unknown> | undefined> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  if (!ctx.is('application/x-www-form-urlencoded') || !ctx.req.readable) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Too large for oidc-provider anyway: it answers that itself from the (truncated) body.
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  const params = parseQuery(Buffer.concat(chunks).toString('utf8'));
  (ctx.request as { body?: unknown }).body = params;
  return params;
}

/** RFC 6749 §2.3.1: HTTP Basic (form-encoded id) or the `client_id` parameter. */
function clientIdOf(ctx: Context, form: Record<string, unknown> | undefined): string | undefined {
  const basic = /^Basic (.+)$/i.exec(ctx.get('authorization'))?.[1];
  if (basic) {
    const id = Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
    try {
      return decodeURIComponent(id.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  return typeof form?.client_id === 'string' ? form.client_id : undefined;
}

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
    const clientId = clientIdOf(ctx, ctx.get('authorization') ? undefined : await formOf(ctx));
    const client = clientId ? await provider.Client.find(clientId) : undefined;
    const owner = client?.metadata().organization_id;
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
