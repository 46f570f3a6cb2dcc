/**
 * Paths with a label of their own even when no router matched them, e.g. a /token request the
 * rate limit answered before routing: oidc-provider's endpoints (its default `routes`) and ours.
 */
const FIXED_PATHS = new Set([
  '/auth',
  '/token',
  '/token/introspection',
  '/token/revocation',
  '/me',
  '/jwks',
  '/request',
  '/session/end',
  '/.well-known/openid-configuration',
  '/healthz',
  '/readyz',
  '/metrics',
]);

/** Families for the rest, so a path full of ids that matched nothing still gets a bounded label. */
const FAMILIES: readonly (readonly [prefix: string, label: string])[] = [
  ['/scim/v2/', '/scim/v2/:directory/*'],
  ['/admin/v1/', '/admin/v1/*'],
  ['/interaction/', '/interaction/:uid/*'],
  ['/auth/', '/auth/:uid'],
  ['/sso/', '/sso/*'],
  ['/session/', '/session/*'],
];

/**
 * A path template (`/admin/v1/organizations/:organization`, `/scim/v2/:directory{/*rest}`). A
 * layer mounted without a path (the admin key check) leaves the source of a regular expression
 * instead (`/admin/v1(?:\/|$)`): its family reads better.
 */
const TEMPLATE = /^\/[\w\-./:{}*~]*$/;

/**
 * The route label of a request: the path template of the route that answered it (@koa/router
 * and oidc-provider's router both leave it in `ctx._matchedRoute`), else a fixed family, else
 * `other`. Never the raw path: ids, tenants and emails in URLs would each make a new series.
 */
export function routeLabel(matchedRoute: unknown, path: string): string {
  if (typeof matchedRoute === 'string' && TEMPLATE.test(matchedRoute)) return matchedRoute;
  if (FIXED_PATHS.has(path)) return path;
  return FAMILIES.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'other';
}
