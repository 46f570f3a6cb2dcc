import Router from '@koa/router';
import { portalPrincipal, requirePortal } from '../portal-access.js';
import { healthData } from './sso-page-data.js';
import { sendSsoPage, type SsoPages } from './sso-pages.js';

/** Every connection's health at a glance: certificates and their expiry, metadata, last sign-ins. */
export function ssoHealthRoutes(pages: SsoPages): Router {
  const router = new Router({ prefix: '/portal/sso' });
  router.get('/health', requirePortal('sso'), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const views = await pages.admin.connectionHealth.ofOrganization(principal.organizationId);
    await sendSsoPage(pages, ctx, 'health', {
      title: 'Connection health',
      connections: views.map(healthData),
    });
  });
  return router;
}
