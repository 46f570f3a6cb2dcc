import Router from '@koa/router';
import { effectiveRoles } from '../../domain/organizations/role-inheritance.js';
import { portalDirectoryRoutes } from './portal-directories-routes.js';
import type { PortalDeps } from './portal-deps.js';
import { portalDomainRoutes } from './portal-domains-routes.js';
import { portalFlash } from './portal-flash.js';
import { portalHomeRoutes } from './portal-home-routes.js';
import { portalLinkRoutes } from './portal-link-routes.js';
import { portalCookies } from './portal-session-cookie.js';
import { portalSignInRoutes, stillAllowed } from './portal-sign-in.js';
import { createPortalSsoRoutes } from './sso/sso-routes.js';

/**
 * The customer portal at /portal: sign-in (Gatehouse OIDC or a one-time setup link), the home
 * page, domains, directories, and the SSO pages (sso/, mounted here). The session middleware
 * runs first for every portal route, so requirePortal sees the visitor's session.
 */
export function portalRouter(deps: PortalDeps): Router {
  const { container } = deps;
  const cookies = portalCookies({
    sessions: deps.portal.sessions,
    secureCookies: deps.secureCookies,
    stillAllowed: (principal) => stillAllowed({ tenancy: container.tenancy, db: deps.db }, principal),
  });
  const load = cookies.load();
  const flash = portalFlash(container.ephemeral);
  const router = new Router();
  router.use('/portal', load);
  const modules = [
    portalSignInRoutes({
      issuer: deps.issuer,
      render: deps.render,
      db: deps.db,
      tenancy: container.tenancy,
      relyingParty: deps.portal.relyingParty,
      cookies,
      secureCookies: deps.secureCookies,
    }),
    portalLinkRoutes({ render: deps.render, links: deps.portal.links, cookies }),
    portalHomeRoutes({ render: deps.render, admin: deps.admin, cookies }),
    portalDomainRoutes({ render: deps.render, domains: deps.admin.domains, flash }),
    portalDirectoryRoutes({
      issuer: deps.issuer,
      render: deps.render,
      directories: deps.admin.directories,
      roleNames: async (organizationId) => {
        const chain = (await deps.db.organizations.chain(organizationId)).map((org) => org.id);
        return [...effectiveRoles(chain, await deps.db.roles.listFor(chain)).keys()].sort();
      },
      flash,
    }),
    createPortalSsoRoutes(deps),
  ];
  for (const module of modules) router.use(module.routes());
  return router;
}
