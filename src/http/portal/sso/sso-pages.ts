import type { Context } from 'koa';
import type { HealthRecorder } from '../../../domain/connection-health/health-recorder.js';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import type { Database } from '../../../domain/ports/repositories.js';
import type { PortalConnectionCreate } from '../../../domain/sso-setup/portal-connection-create.js';
import type { SsoSetup } from '../../../domain/sso-setup/sso-setup.js';
import type { RenderPage } from '../../../lib/render-page.js';
import type { UpstreamSignIn } from '../../sso/upstream-sign-in.js';
import { portalPrincipal } from '../portal-access.js';
import type { PortalFlash } from '../portal-flash.js';
import { sendPortalPage } from '../portal-page.js';
import { certificateBanners } from './certificate-banner.js';

/** What every SSO page of the portal uses. */
export interface SsoPages {
  issuer: string;
  render: RenderPage;
  db: Database;
  admin: Pick<AdminServices, 'connections' | 'routing' | 'provisioning' | 'connectionHealth'>;
  setup: SsoSetup;
  create: PortalConnectionCreate;
  upstream: Pick<UpstreamSignIn, 'startTest'>;
  health: Pick<HealthRecorder, 'signInFailed'>;
  flash: PortalFlash;
}

/** A result to show once on the next page (post/redirect/get). */
export interface SsoNotice {
  ok: boolean;
  text: string;
}

export const FLASH = 'sso';

/** After a POST: the notice for the next page, and a 303 to it. */
export async function redirectWith(pages: SsoPages, ctx: Context, location: string, notice: SsoNotice) {
  await pages.flash.set(ctx, FLASH, notice);
  ctx.status = 303;
  ctx.redirect(location);
}

/** Renders views/portal/<view>.eta with the portal's layout data, the expiry banner and the page's notice. */
export async function sendSsoPage(
  pages: SsoPages,
  ctx: Context,
  view: string,
  data: Record<string, unknown> & { title: string },
  status = 200,
) {
  const principal = portalPrincipal(ctx);
  sendPortalPage(
    ctx,
    pages.render,
    view,
    {
      ...data,
      current: 'sso',
      // The layout shows portalBanners above every page (views/portal/layout-portal.eta).
      portalBanners: await certificateBanners(pages.admin, principal.organizationId),
      notice: (await pages.flash.take<SsoNotice>(ctx, FLASH)) ?? null,
    },
    status,
  );
}
