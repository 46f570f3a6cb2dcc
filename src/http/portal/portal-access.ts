import type { Context, Middleware, Next } from 'koa';
import type { PortalIntent, PortalPrincipal } from '../../domain/portal/portal-principal.js';
import type { PortalSession } from '../../domain/portal/portal-sessions.js';

export type { PortalIntent, PortalPrincipal } from '../../domain/portal/portal-principal.js';

/** What the portal router's session middleware leaves on `ctx.state` (portal-session-cookie.ts). */
export interface PortalState {
  /** The visitor's live portal session; absent when not signed in to the portal. */
  portalSession?: PortalSession;
  /** Set by requirePortal for the routes behind it. */
  portal?: PortalPrincipal;
}

export const portalStateOf = (ctx: Context): PortalState => ctx.state as PortalState;

/** The principal requirePortal admitted; throws if a route forgot to put requirePortal in front. */
export function portalPrincipal(ctx: Context): PortalPrincipal {
  const principal = portalStateOf(ctx).portal;
  if (!principal) throw new Error('portal route without requirePortal');
  return principal;
}

export const PORTAL_SIGN_IN_PATH = '/portal/login';

/**
 * Admits a portal visitor to one task. Without a portal session: off to sign in (a GET), or 401
 * (anything else: a form posted after the session lapsed cannot be replayed through a redirect).
 * With a session that may not open this task (a setup link for another intent): 404, as a page
 * the principal may not see does not exist for them. Runs behind the portal router's session
 * middleware, which reads the cookie.
 */
export function requirePortal(intent: PortalIntent): Middleware {
  return admitPortal(intent);
}

/** Any portal session at all (the home page, sign-out); same answers as requirePortal otherwise. */
export function requireAnyPortal(): Middleware {
  return admitPortal(undefined);
}

/** A portal session, for one task when `intent` names it. */
function admitPortal(intent: PortalIntent | undefined): Middleware {
  return async (ctx: Context, next: Next) => {
    const session = portalStateOf(ctx).portalSession;
    if (!session) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD')
        ctx.throw(401, 'Your portal session has ended. Sign in again and retry.');
      ctx.redirect(PORTAL_SIGN_IN_PATH);
      return;
    }
    if (intent && !session.principal.intents.includes(intent)) ctx.throw(404, 'This page does not exist.');
    portalStateOf(ctx).portal = session.principal;
    await next();
  };
}
