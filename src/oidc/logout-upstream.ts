import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
type Context = Parameters<Middleware>[0];

/** Where the browser goes instead of the application once the session has ended here. */
export type UpstreamLogoutAnswer = { redirect: string } | { html: string };

/** Once the session ended: the answer, given where oidc-provider would send the browser. */
export type UpstreamLogoutStep = (continueTo: string) => Promise<UpstreamLogoutAnswer | undefined>;

/**
 * Carries an RP-initiated logout on to the IdP the session's user signed in at (SAML Single
 * Logout). `prepare` runs before oidc-provider ends the session, while what is known about it
 * still exists; it answers undefined when there is nobody upstream to tell.
 */
export interface UpstreamLogout {
  prepare(sessionUid: string): Promise<UpstreamLogoutStep | undefined>;
}

type Log = { warn(details: object, message: string): void } | undefined;

/**
 * Around oidc-provider's end_session confirmation (OIDC RP-Initiated Logout 1.0 §2): when the
 * whole session ended (the user chose "Sign out", `logout=yes`, not only leaving one
 * application), the redirect to the post_logout_redirect_uri (or to the logged-out page) becomes
 * the way there through the upstream IdP. A failure upstream never undoes or blocks the local
 * logout: the browser then goes where it would have gone. Installed on the provider's Koa app
 * (app.ts), ahead of its routes.
 */
export function upstreamLogoutStep(provider: OidcProvider, logout: UpstreamLogout): Middleware {
  const confirmPath = provider.pathFor('end_session_confirm');
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== confirmPath) return next();
    let failure: unknown;
    const step = await prepared(provider, logout, ctx).catch((error: unknown) => {
      failure = error;
      return undefined;
    });
    await next();
    const log = (ctx.state as { log?: Log }).log;
    if (failure) log?.warn({ event: 'logout.upstream_failed', err: failure }, 'upstream logout not prepared');
    const { oidc } = ctx as unknown as KoaContextWithOIDC;
    const ended = (oidc?.session as { destroyed?: boolean } | undefined)?.destroyed === true;
    if (!step || !ended || ctx.status !== 303 || oidc.route !== 'end_session_confirm') return;
    try {
      const answer = await step(ctx.response.get('Location'));
      if (answer && 'redirect' in answer) ctx.redirect(answer.redirect);
      if (answer && 'html' in answer) {
        ctx.status = 200;
        ctx.type = 'html';
        ctx.body = answer.html;
      }
    } catch (error) {
      log?.warn({ event: 'logout.upstream_failed', err: error }, 'upstream logout not started');
    }
  };
}

/** The browser's session as the cookie names it (oidc-provider loads it again for the route). */
async function prepared(provider: OidcProvider, logout: UpstreamLogout, ctx: Context) {
  const session = await provider.Session.get(ctx as unknown as KoaContextWithOIDC);
  return session.accountId ? logout.prepare(session.uid) : undefined;
}
