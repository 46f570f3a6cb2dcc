import type { Middleware } from 'koa';
import { withRequestScope } from '../../lib/request-scope.js';

/**
 * Sign-in and token requests (our interaction and SSO pages, the provider's authorization and
 * token endpoints) run in a request scope (lib/request-scope.ts): each step of one asks for the
 * same verified domains and organization chains, which none of them writes. Admin, SCIM, portal
 * and account requests write those, and read them fresh every time.
 */
export function signInScope(paths: { authorization: string; token: string }): Middleware {
  const prefixes = ['/interaction/', '/sso/', `${paths.authorization}/`];
  const inScope = (path: string) =>
    path === paths.authorization ||
    path === paths.token ||
    prefixes.some((prefix) => path.startsWith(prefix));
  return (ctx, next) => (inScope(ctx.path) ? withRequestScope(next) : next());
}
