import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Container } from './container.js';
import { localPasswordRefusal } from './domain/organizations/organization-selection.js';
import { adminRouter } from './http/admin/admin-router.js';
import { adminRoutes } from './http/admin/routes/index.js';
import { bodyLimit } from './http/middleware/body-limit.js';
import { errorPages } from './http/middleware/errors.js';
import { rateLimit } from './http/middleware/rate-limit.js';
import { requestContext } from './http/middleware/request-context.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { assetRoutes } from './http/routes/assets.js';
import { demoRoutes } from './http/routes/demo.js';
import { healthRoutes } from './http/routes/health.js';
import { interactionRoutes } from './http/routes/interaction.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Builds the HTTP application from a container; it neither listens nor reads globals. Our
 * middleware and pages are installed on the OpenID Provider's own Koa app, ahead of its
 * protocol routes (discovery, /auth, /token, /jwks, /me, /session/end...), so each request
 * makes one Koa context.
 */
export function createApp(c: Container): RequestHandler {
  c.providerHost.mount((provider) => install(provider, c));
  return (req, res) => c.providerHost.handle(req, res);
}

function install(app: Koa, c: Container): void {
  app.use(requestContext(c.logger));
  app.use(securityHeaders(c.env.ISSUER.startsWith('https://')));
  app.use(bodyLimit(c.env.BODY_LIMIT_BYTES));
  app.use(errorPages(c.render));
  app.use(
    rateLimit(c.ephemeral, {
      name: 'token',
      perMinute: c.env.RATE_LIMIT_TOKEN_PER_MINUTE,
      key: (ctx) => (ctx.method === 'POST' && ctx.path.startsWith('/token') ? ctx.ip : undefined),
      mode: 'batched',
    }),
  );

  // One router for all of our pages: a protocol request pays for one route lookup, not one per module.
  const router = new Router();
  const modules = [
    healthRoutes(c.readiness),
    assetRoutes(c.viewsDir),
    interactionRoutes({
      interactions: c.interactions,
      accounts: c.accounts,
      store: c.ephemeral,
      render: c.render,
      loginAttemptsPerMinute: c.env.RATE_LIMIT_LOGIN_PER_MINUTE,
      selectOrganization: c.selectOrganization,
      localPasswordRefusal: (email) => localPasswordRefusal(c.db, email),
    }),
  ];
  if (c.demo) modules.push(demoRoutes(c.env.ISSUER, c.demo.relyingParty, c.render));
  modules.push(
    adminRouter({
      routes: adminRoutes(c.admin),
      authenticate: c.admin.apiKeys.authenticate,
      store: c.ephemeral,
      envelope: c.envelope,
      logger: c.logger,
    }),
  );
  for (const module of modules) router.use(module.routes());
  app.use(router.routes()).use(router.allowedMethods());
}
