import Router, { type RouterMiddleware } from '@koa/router';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AdminPrincipal } from '../../domain/organizations/admin-principal.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { type Authenticate, authenticateBearer } from './authenticate.js';
import { idempotency } from './idempotency.js';
import { openApiDocument } from './openapi.js';
import { ProblemError, problemErrors } from './problem.js';
import { type AdminRoute, type Authorize, jsonBody, mountRoutes } from './route.js';

export const ADMIN_PREFIX = '/admin/v1';
const FALLBACK = 'admin-fallback';

export interface AdminRouterOptions {
  routes: readonly AdminRoute[];
  authenticate: Authenticate;
  /** Holds Idempotency-Key records; shared by every instance behind the load balancer. */
  store: EphemeralStore;
  /** Seals the stored answers (they may carry a secret shown once). */
  envelope: Envelope;
  /** For failures of requests that carry no logger of their own. */
  logger?: Logger;
  authorize?: Authorize;
  bodyLimit?: string;
  /** Shown in openapi.json. */
  version?: string;
  /** Runs once the principal is known (the organization's plan rate limit). */
  afterAuthentication?: Middleware[];
}

const noStore: Middleware = async (ctx, next) => {
  // Admin answers carry tenant data and secrets shown once: no cache may keep them.
  ctx.set('Cache-Control', 'no-store');
  await next();
};

/** Reached only when no admin route matched: 404, or 405 with the methods the path does allow. */
const noRoute: RouterMiddleware = (ctx) => {
  const routes = (ctx.matched ?? []).filter((layer) => layer.methods.length > 0 && layer.name !== FALLBACK);
  const allowed = [...new Set(routes.flatMap((layer) => layer.methods))];
  if (allowed.length === 0) {
    throw new ProblemError(
      404,
      'route_not_found',
      'No admin API route has this path. See /admin/v1/openapi.json.',
    );
  }
  if (ctx.method === 'OPTIONS') {
    ctx.status = 204;
    ctx.set('Allow', allowed.join(', '));
    return;
  }
  throw new ProblemError(405, 'method_not_allowed', `This path allows ${allowed.join(', ')}.`, {
    Allow: allowed.join(', '),
  });
};

const principalKey = (principal: AdminPrincipal) => `${principal.actor.type}:${principal.actor.id}`;

/**
 * The admin REST API: problem+json errors, a public OpenAPI document, bearer API keys, and
 * Idempotency-Key on POST, in front of the resource routes. Mount with `router.use(r.routes())`.
 */
export function adminRouter(options: AdminRouterOptions): Router {
  const { routes, store } = options;
  // Built at boot, so that a route whose schema cannot be described fails the start, not a request.
  const document = openApiDocument(routes, {
    title: 'Gatehouse admin API',
    version: options.version ?? '1',
    serverUrl: ADMIN_PREFIX,
  });
  const body = jsonBody(options.bodyLimit);
  const router = new Router({ prefix: ADMIN_PREFIX });
  router.use(noStore, problemErrors(options.logger));
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  router.use(authenticateBearer(options.authenticate));
  for (const middleware of options.afterAuthentication ?? []) router.use(middleware);
  router.use(
    idempotency({
      store,
      envelope: options.envelope,
      readBody: body,
      scope: (ctx) => principalKey(ctx.state.principal as AdminPrincipal),
    }),
  );
  mountRoutes(router, routes, { bodyLimit: options.bodyLimit, authorize: options.authorize });
  router.all(FALLBACK, '{/*rest}', noRoute);
  return router;
}
