import type { Context, Middleware, Next } from 'koa';
import type { OrganizationRateLimiter } from '../../domain/entitlements/api-rate-limiter.js';
import type { AdminPrincipal } from '../../domain/organizations/admin-principal.js';
import type { DirectoryRecord } from '../../domain/ports/directories.js';
import { ScimError } from '../../domain/scim/model/index.js';
import { ProblemError } from '../admin/problem.js';

const DETAIL = "The organization's plan allows no more API requests in this window; retry after";

/**
 * The plan's API rate limit on the admin API for organization-scoped keys (delegated admins act
 * for their contract; environment keys are the operator's and are not counted). RFC 6585 §4: 429
 * with Retry-After, as problem+json (`rate_limited`).
 */
export function adminOrganizationRateLimit(limiter: OrganizationRateLimiter): Middleware {
  return async (ctx: Context, next: Next) => {
    const principal = ctx.state.principal as AdminPrincipal | undefined;
    if (principal?.scope.kind === 'organization') {
      const wait = await limiter.hit(principal.scope.organizationId);
      if (wait !== undefined) {
        throw new ProblemError(429, 'rate_limited', `${DETAIL} ${wait} s.`, { 'Retry-After': String(wait) });
      }
    }
    await next();
  };
}

/**
 * The same budget for a SCIM directory's requests, answered as a SCIM error (RFC 7644 §3.12 has
 * no 429 of its own; status and detail carry it, Retry-After the wait). Runs after authentication.
 */
export function scimOrganizationRateLimit(limiter: OrganizationRateLimiter): Middleware {
  return async (ctx: Context, next: Next) => {
    const directory = ctx.state.directory as DirectoryRecord;
    const wait = await limiter.hit(directory.organizationId);
    if (wait !== undefined) {
      ctx.set('Retry-After', String(wait));
      throw new ScimError(429, `${DETAIL} ${wait} s.`);
    }
    await next();
  };
}
