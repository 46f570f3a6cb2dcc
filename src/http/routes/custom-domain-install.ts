import type Koa from 'koa';
import type { Context } from 'koa';
import type { Container } from '../../container.js';
import { pendingOrganizationId } from '../mfa/pending-sign-in.js';
import { customDomainContext, type RequestedHosts } from '../middleware/custom-domain.js';
import { createPageBrand } from '../middleware/page-brand.js';
import { brandingRoutes } from './branding-routes.js';
import { customDomainEntry } from './custom-domain-entry.js';

type BrandingContainer = Pick<Container, 'env' | 'branding' | 'interactions' | 'ephemeral' | 'render'>;

/**
 * Branding on the app: marks requests through a verified custom domain, works out each page's
 * brand, answers a custom domain's entry (`/`, `/auth`), and gives the routes to mount
 * (`/branding/...`) and the hook the email page calls once the email names an organization.
 */
export function installBranding(app: Koa, c: BrandingContainer, hosts: RequestedHosts) {
  const { branding } = c;
  app.use(customDomainContext(branding.customDomainOf, hosts));
  const pageBrand = createPageBrand({
    branding,
    loadInteraction: (ctx: Context) => c.interactions.load(ctx.req, ctx.res),
    store: c.ephemeral,
    customDomainOrganization: branding.customDomainOrganization,
    chosenOrganization: (uid) => pendingOrganizationId(c.ephemeral, uid),
  });
  app.use(pageBrand.middleware);
  app.use(
    customDomainEntry({
      issuer: c.env.ISSUER,
      render: c.render,
      landing: branding.entryApplications.landing,
    }),
  );
  return {
    routed: pageBrand.routed,
    routes: brandingRoutes({
      issuer: c.env.ISSUER,
      stylesheet: branding.stylesheet,
      customDomainOrganization: branding.customDomainOrganization,
      applicationEntry: branding.entryApplications.entry,
    }),
  };
}
