import Router from '@koa/router';
import { createSsoSetup } from '../../../domain/sso-setup/sso-setup.js';
import { createPortalConnectionCreate } from '../../../domain/sso-setup/portal-connection-create.js';
import { clientAssertionKeyFrom } from '../../../federation/oidc/client-assertion-key.js';
import { generateSpCredential } from '../../../federation/saml/index.js';
import { createSignInTickets } from '../../sso/sign-in-tickets.js';
import { createUpstreamSignIn } from '../../sso/upstream-sign-in.js';
import type { PortalDeps } from '../portal-deps.js';
import { portalFlash } from '../portal-flash.js';
import { ssoConnectionRoutes } from './sso-connection-routes.js';
import { ssoHealthRoutes } from './sso-health-routes.js';
import { ssoMappingRoutes } from './sso-mapping-routes.js';
import type { SsoPages } from './sso-pages.js';
import { ssoSetupRoutes } from './sso-setup-routes.js';

/**
 * The customer portal's single sign-on pages, under /portal/sso: the guided setup per identity
 * product, "test connection" and activation, the attribute and role mapping editor with its
 * preview, and each connection's health. Mounted by the portal router (portal-router.ts).
 */
export function createPortalSsoRoutes(deps: PortalDeps): Router {
  const c = deps.container;
  const pages: SsoPages = {
    issuer: deps.issuer,
    render: deps.render,
    db: deps.db,
    admin: deps.admin,
    setup: createSsoSetup(deps.db, deps.admin),
    create: createPortalConnectionCreate({
      db: deps.db,
      store: c.ephemeral,
      envelope: c.envelope,
      spCredential: generateSpCredential,
    }),
    // The same hops as a sign-in (the test answer comes back through /sso/...), with its own tickets.
    upstream: createUpstreamSignIn({
      db: deps.db,
      envelope: c.envelope,
      upstreamOidc: c.upstreamOidc,
      saml: c.saml,
      samlMetadata: (connection) => c.samlMetadata(connection),
      tickets: createSignInTickets(c.ephemeral),
      clientAssertionKey: clientAssertionKeyFrom(() => c.signingKeys.signingSet()),
    }),
    health: c.connectionHealth,
    flash: portalFlash(c.ephemeral),
  };
  const router = new Router();
  for (const module of [
    ssoSetupRoutes(pages),
    ssoConnectionRoutes(pages),
    ssoMappingRoutes(pages),
    ssoHealthRoutes(pages),
  ])
    router.use(module.routes());
  return router;
}
