import type Router from '@koa/router';
import type Koa from 'koa';
import { segmentRouters } from './route-segments.js';

/** oidc-provider's endpoints that machines call, where none of our pages live. */
const API_ROUTES = [
  'token',
  'introspection',
  'revocation',
  'jwks',
  'userinfo',
  'pushed_authorization_request',
];
const DISCOVERY = '/.well-known/openid-configuration';

/**
 * Our route modules, looked up by the path's first segment (http/route-segments.ts), and passed
 * over on the protocol endpoints none of them serves: a token or introspection request then pays
 * for no route lookup of ours. Which endpoints those are is asked of the routers themselves once,
 * so a route of ours mounted at one of them would still run.
 */
export function routesBesideProtocol(
  modules: readonly Router[],
  pathFor: (route: string) => string,
): Koa.Middleware {
  const routesFor = segmentRouters(modules);
  const paths = [...API_ROUTES.map(pathFor), DISCOVERY];
  // A path-less middleware of ours matches every path but runs only where a route matches.
  const routed = (path: string) =>
    routesFor(path)
      .router.match(path, 'GET')
      .path.some((layer) => layer.methods.length > 0);
  const unrouted = new Set(paths.filter((path) => !routed(path)));
  return (ctx, next) => (unrouted.has(ctx.path) ? next() : routesFor(ctx.path).dispatch(ctx, next));
}
