import Router from '@koa/router';
import type { AdminServices } from '../../domain/organizations/admin-services.js';
import {
  adminPrincipalOf,
  type PortalIntent,
  type PortalPrincipal,
} from '../../domain/portal/portal-principal.js';
import type { RenderPage } from '../../lib/render-page.js';
import { portalPrincipal, requireAnyPortal } from './portal-access.js';
import { portalForm } from './portal-csrf.js';
import { PORTAL_TASKS, sendPortalPage } from './portal-page.js';
import type { PortalCookies } from './portal-session-cookie.js';
import { sendPage } from '../views.js';

export interface PortalHomeDeps {
  render: RenderPage;
  admin: Pick<AdminServices, 'connections' | 'domains' | 'directories' | 'connectionHealth'>;
  cookies: PortalCookies;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** One line per task saying where the organization stands. */
async function statusOf(deps: PortalHomeDeps, principal: PortalPrincipal, intent: PortalIntent) {
  const admin = adminPrincipalOf(principal);
  const org = principal.organizationId;
  switch (intent) {
    case 'sso': {
      const connections = await deps.admin.connections.list(admin, org);
      const active = connections.filter((connection) => connection.enabled).length;
      return connections.length === 0
        ? 'No SSO connection yet.'
        : `${plural(connections.length, 'connection')}, ${active} active.`;
    }
    case 'domains': {
      const domains = await deps.admin.domains.list(admin, org);
      const verified = domains.filter((domain) => domain.verifiedAt).length;
      return domains.length === 0
        ? 'No domain yet.'
        : `${plural(domains.length, 'domain')}, ${verified} verified.`;
    }
    case 'dsync': {
      const directories = await deps.admin.directories.list(admin, org);
      return directories.length === 0
        ? 'No directory yet.'
        : `${plural(directories.length, 'directory', 'directories')}.`;
    }
  }
}

/** The portal's home (the organization and its tasks), sign-out, and the page after it. */
export function portalHomeRoutes(deps: PortalHomeDeps): Router {
  const router = new Router({ prefix: '/portal' });

  router.get('/', requireAnyPortal(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const tasks = await Promise.all(
      PORTAL_TASKS.filter((task) => principal.intents.includes(task.intent)).map(async (task) => ({
        ...task,
        status: await statusOf(deps, principal, task.intent),
      })),
    );
    // An IdP certificate about to expire concerns whoever may fix the SSO connection.
    const banner = principal.intents.includes('sso')
      ? await deps.admin.connectionHealth.expiryBanner(principal.organizationId)
      : undefined;
    sendPortalPage(ctx, deps.render, 'home', {
      title: principal.organizationName,
      portalBanners: banner ? [banner] : [],
      current: 'home',
      organization: { name: principal.organizationName, slug: principal.organizationSlug },
      signedInWith: principal.actor.type === 'user' ? 'your administrator account' : 'a one-time setup link',
      tasks,
    });
  });

  router.post('/logout', requireAnyPortal(), portalForm(), async (ctx) => {
    await deps.cookies.signOut(ctx);
    ctx.status = 303;
    ctx.redirect('/portal/signed-out');
  });

  router.get('/signed-out', (ctx) =>
    sendPage(ctx, deps.render, 'portal/link-signed-out', { title: 'Signed out' }),
  );

  return router;
}
