import Router from '@koa/router';
import type { Context } from 'koa';
import type { BrandStylesheet } from '../../domain/branding/branding-service.js';
import { ENTRY_COOKIE } from '../middleware/page-brand.js';

/** Long enough to start the sign-in the entry leads to; the first interaction page takes it. */
const ENTRY_SECONDS = 5 * 60;
const STYLESHEET = /^(org_[A-Za-z0-9_-]{1,64})\.css$/;

export interface BrandingRouteDeps {
  issuer: string;
  stylesheet(organizationId: string): Promise<BrandStylesheet | undefined>;
  /** The organization of a verified custom domain, when custom domains are on. */
  customDomainOrganization(id: string): Promise<string | undefined>;
  /**
   * The third-party login URL (OIDC Core §4 initiate_login_uri) of an application of the
   * organization or of one of its ancestors, by client id.
   */
  applicationEntry(organizationId: string, clientId: string): Promise<string | undefined>;
}

/**
 * Served on the issuer's host. `/branding/<org id>.css`: an organization's colours (the CSP
 * forbids inline styles), cached for good under its versioned URL. `/branding/enter/<custom
 * domain id>/...`: where a custom domain's entry sends the browser, so the sign-in it starts runs
 * on the issuer's host (its cookies live there) and still shows the organization's branding: a
 * short-lived cookie, path /interaction, that the next interaction takes (page-brand.ts).
 */
export function brandingRoutes(deps: BrandingRouteDeps): Router {
  const router = new Router({ prefix: '/branding' });

  router.get('/:file', async (ctx) => {
    const organizationId = STYLESHEET.exec(ctx.params.file ?? '')?.[1];
    const sheet = organizationId ? await deps.stylesheet(organizationId) : undefined;
    if (!sheet) return;
    ctx.type = 'text/css; charset=utf-8';
    ctx.set(
      'Cache-Control',
      ctx.query.v === sheet.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
    ctx.body = sheet.css;
  });

  const enter = async (ctx: Context): Promise<string | undefined> => {
    const organizationId = await deps.customDomainOrganization(ctx.params.id ?? '');
    if (!organizationId) return undefined;
    ctx.cookies.set(ENTRY_COOKIE, ctx.params.id, {
      path: '/interaction',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.issuer.startsWith('https://'),
      maxAge: ENTRY_SECONDS * 1000,
      overwrite: true,
    });
    return organizationId;
  };

  // The authorization request as the application sent it to the custom domain, unchanged.
  router.get('/enter/:id/auth', async (ctx) => {
    await enter(ctx);
    ctx.redirect(`${deps.issuer}/auth${ctx.querystring ? `?${ctx.querystring}` : ''}`);
  });

  router.get('/enter/:id/apps/:clientId', async (ctx) => {
    const organizationId = await enter(ctx);
    const target = organizationId
      ? await deps.applicationEntry(organizationId, ctx.params.clientId ?? '')
      : undefined;
    if (!target) return ctx.throw(404, 'That application cannot be opened from here.');
    const url = new URL(target);
    url.searchParams.set('iss', deps.issuer);
    ctx.redirect(url.href);
  });

  return router;
}
