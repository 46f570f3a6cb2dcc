import Router from '@koa/router';
import type { Context } from 'koa';
import { decodeJwt } from 'jose';
import type { RelyingParty } from '../../federation/oidc/relying-party.js';
import { sendPage } from '../views.js';
import type { RenderPage } from '../../lib/render-page.js';

const PENDING_COOKIE = 'gh_demo_pending';

/**
 * A built-in relying party for trying Gatehouse: it discovers the issuer over HTTP like any app
 * would, runs code + PKCE, and shows what it received. Discovery is lazy so the server can listen
 * before it answers its own discovery request.
 */
export function demoRoutes(
  issuer: string,
  relyingParty: () => Promise<RelyingParty>,
  render: RenderPage,
): Router {
  const router = new Router({ prefix: '/demo' });
  const html = (ctx: Context, view: string, data: Record<string, unknown>) =>
    sendPage(ctx, render, view, data);

  router.get('/', (ctx) => html(ctx, 'demo-home', { issuer }));

  router.post('/login', async (ctx) => {
    const { url, ...pending } = await (await relyingParty()).start();
    ctx.cookies.set(PENDING_COOKIE, JSON.stringify(pending), {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 10 * 60 * 1000,
      path: '/demo',
    });
    ctx.redirect(url);
  });

  router.get('/callback', async (ctx) => {
    const pending = ctx.cookies.get(PENDING_COOKIE, { signed: true });
    if (!pending) ctx.throw(400, 'This sign-in was not started here or has expired. Start again from /demo.');
    ctx.cookies.set(PENDING_COOKIE, null, { path: '/demo' });
    const rp = await relyingParty();
    const result = await rp.complete(new URL(ctx.originalUrl, issuer), JSON.parse(pending as string));
    html(ctx, 'demo-result', {
      subject: result.subject,
      idToken: JSON.stringify(result.idTokenClaims, null, 2),
      accessToken: describeAccessToken(result.accessToken),
      userinfo: JSON.stringify(result.userinfo, null, 2),
      logoutUrl: rp.endSessionUrl(result.idToken, `${issuer}/demo`),
    });
  });

  return router;
}

// Opaque tokens are shown as they are; JWT access tokens (RFC 9068) are decoded for reading.
function describeAccessToken(token: string): string {
  try {
    return JSON.stringify(decodeJwt(token), null, 2);
  } catch {
    return `${token}\n\n(opaque: ask the introspection endpoint what it means)`;
  }
}
