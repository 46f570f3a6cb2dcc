import Router from '@koa/router';
import type { Context } from 'koa';
import type { OrganizationAccess } from '../../domain/organizations/organization-access.js';
import {
  PORTAL_INTENTS,
  type PortalIntent,
  type PortalPrincipal,
} from '../../domain/portal/portal-principal.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { RelyingParty } from '../../federation/oidc/relying-party.js';
import type { RenderPage } from '../../lib/render-page.js';
import { sendPage } from '../views.js';
import type { PortalCookies } from './portal-session-cookie.js';

const PENDING_COOKIE = 'gh_portal_pending';
const PENDING_MINUTES = 10;

export interface PortalSignInDeps {
  issuer: string;
  render: RenderPage;
  db: Database;
  tenancy: Pick<OrganizationAccess, 'forUser'>;
  relyingParty: () => Promise<RelyingParty>;
  cookies: PortalCookies;
  secureCookies: boolean;
}

const refuse = (ctx: Context, render: RenderPage, status: number, title: string, description: string) =>
  sendPage(ctx, render, 'portal/link-refused', { title, description }, status);

/**
 * Signing in to the portal through Gatehouse itself: code + PKCE with the portal's first-party
 * client, `scope=openid email organization roles`. Gatehouse's own organization step picks the
 * organization (a user of several is asked); the portal then admits only an administrator of it,
 * read fresh from the database rather than from the token's role names.
 */
export function portalSignInRoutes(deps: PortalSignInDeps): Router {
  const router = new Router({ prefix: '/portal' });
  const cookieOptions = {
    signed: true,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.secureCookies,
    path: '/portal',
  };

  router.get('/login', async (ctx) => {
    const { url, ...pending } = await (await deps.relyingParty()).start();
    ctx.cookies.set(PENDING_COOKIE, JSON.stringify(pending), {
      ...cookieOptions,
      maxAge: PENDING_MINUTES * 60 * 1000,
    });
    ctx.redirect(url);
  });

  router.get('/callback', async (ctx) => {
    const pending = ctx.cookies.get(PENDING_COOKIE, { signed: true });
    if (!pending)
      return refuse(
        ctx,
        deps.render,
        400,
        'Sign-in expired',
        'This sign-in was not started here or took too long. Start again.',
      );
    ctx.cookies.set(PENDING_COOKIE, null, cookieOptions);
    if (ctx.query.error)
      return refuse(
        ctx,
        deps.render,
        403,
        'Sign-in cancelled',
        'The sign-in did not complete. You can start again.',
      );
    const result = await (
      await deps.relyingParty()
    ).complete(new URL(ctx.originalUrl, deps.issuer), JSON.parse(pending));
    const principal = await adminPrincipal(deps, result.subject, result.idTokenClaims.org_id);
    if (!principal)
      return refuse(
        ctx,
        deps.render,
        403,
        'Administrators only',
        'The customer portal is for administrators of an organization. Your account does not hold an administrator role in the organization you signed in to. Ask an administrator of your organization for access, or for a setup link.',
      );
    await deps.cookies.signIn(ctx, principal);
    ctx.redirect('/portal');
  });

  return router;
}

/** The portal principal of an administrator of the organization; undefined for anyone else. */
async function adminPrincipal(
  deps: Pick<PortalSignInDeps, 'db' | 'tenancy'>,
  userId: string,
  organizationId: unknown,
): Promise<PortalPrincipal | undefined> {
  if (typeof organizationId !== 'string') return undefined;
  const access = await deps.tenancy.forUser(organizationId, userId);
  if (!access || access.denied || !access.admin) return undefined;
  const organization = await deps.db.organizations.find(access.organizationId);
  if (!organization) return undefined;
  return {
    organizationId: organization.id,
    organizationSlug: organization.slug,
    organizationName: organization.name,
    intents: [...PORTAL_INTENTS],
    actor: { type: 'user', id: userId },
  };
}

/**
 * Whether a portal session may go on: a signed-in user must still administer the organization
 * (roles change under a session); a setup link's session lasts while its organization is active.
 */
export async function stillAllowed(
  deps: { tenancy: Pick<OrganizationAccess, 'forUser'>; db: Pick<Database, 'organizations'> },
  principal: PortalPrincipal,
): Promise<boolean> {
  if (principal.actor.type !== 'user') {
    const organization = await deps.db.organizations.find(principal.organizationId);
    return organization?.status === 'active';
  }
  const access = await deps.tenancy.forUser(principal.organizationId, principal.actor.id);
  return !!access && !access.denied && access.admin;
}

export const INTENT_PAGES: Record<PortalIntent, string> = {
  sso: '/portal/sso',
  dsync: '/portal/directories',
  domains: '/portal/domains',
};
