import type { Context, Middleware, Next } from 'koa';
import type { PortalPrincipal } from '../../domain/portal/portal-principal.js';
import type { PortalSession, PortalSessions } from '../../domain/portal/portal-sessions.js';
import { portalStateOf } from './portal-access.js';

export const PORTAL_COOKIE = 'gh_portal';
const COOKIE_PATH = '/portal';

export interface PortalCookieDeps {
  sessions: PortalSessions;
  secureCookies: boolean;
  /** Whether a signed-in user still administers the organization (roles change under a session). */
  stillAllowed(principal: PortalPrincipal): Promise<boolean>;
}

/**
 * The portal's cookie: signed, HttpOnly, SameSite=Lax (a setup link opened from a mail client is
 * a cross-site navigation; Strict would drop the cookie on its redirect), scoped to /portal, and
 * holding only the session's random id.
 */
export function portalCookies(deps: PortalCookieDeps) {
  const options = () => ({
    signed: true,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.secureCookies,
    path: COOKIE_PATH,
    overwrite: true,
  });
  return {
    async signIn(ctx: Context, principal: PortalPrincipal): Promise<PortalSession> {
      const previous = ctx.cookies.get(PORTAL_COOKIE, { signed: true });
      // A new sign-in never keeps an old session id (session fixation).
      if (previous) await deps.sessions.end(previous);
      const session = await deps.sessions.start(principal);
      ctx.cookies.set(PORTAL_COOKIE, session.id, { ...options(), maxAge: deps.sessions.idleSeconds * 1000 });
      portalStateOf(ctx).portalSession = session;
      return session;
    },

    async signOut(ctx: Context): Promise<void> {
      const id = ctx.cookies.get(PORTAL_COOKIE, { signed: true });
      if (id) await deps.sessions.end(id);
      ctx.cookies.set(PORTAL_COOKIE, null, options());
      portalStateOf(ctx).portalSession = undefined;
    },

    /** Middleware: the live session behind the cookie, if any, on ctx.state.portalSession. */
    load(): Middleware {
      return async (ctx: Context, next: Next) => {
        const id = ctx.cookies.get(PORTAL_COOKIE, { signed: true });
        const session = id ? await deps.sessions.resume(id) : undefined;
        if (session && (await deps.stillAllowed(session.principal))) {
          portalStateOf(ctx).portalSession = session;
          ctx.cookies.set(PORTAL_COOKIE, session.id, {
            ...options(),
            maxAge: deps.sessions.idleSeconds * 1000,
          });
        } else if (session) {
          await deps.sessions.end(session.id);
        }
        await next();
      };
    },
  };
}
export type PortalCookies = ReturnType<typeof portalCookies>;
