import type { Middleware } from 'koa';
import { withRequestScope } from '../../lib/request-scope.js';

/**
 * Sign-in and token requests (our interaction and SSO pages, the provider's authorization, token,
 * introspection and userinfo endpoints) run in a request scope (lib/request-scope.ts): each step
 * of one asks for the same verified domains, organization chains and grant access, which none of
 * them writes. Admin, SCIM, portal and account requests write those, and read them fresh every
 * time.
 */
export function signInScope(paths: {
  authorization: string;
  token: string;
  introspection: string;
  userinfo: string;
}): Middleware {
  const prefixes = ['/interaction/', '/sso/', `${paths.authorization}/`];
  const exact = new Set([paths.authorization, paths.token, paths.introspection, paths.userinfo]);
  const inScope = (path: string) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
  return (ctx, next) => (inScope(ctx.path) ? withRequestScope(next) : next());
}
