import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { LogoutTransport } from '../../federation/saml/logout-decoding.js';
import type { RenderPage } from '../../lib/render-page.js';
import { sendPage } from '../views.js';
import type { SingleLogoutAnswer } from './single-logout-pages.js';
import type { SingleLogout } from './single-logout.js';

export interface SingleLogoutRouteDeps {
  singleLogout: Pick<SingleLogout, 'receive'>;
  render: RenderPage;
}

const UNREADABLE =
  'The sign-out message from your organization’s identity provider could not be processed. ' +
  'If you were signing out, close your browser to end the session there too.';

/**
 * Each SAML connection's SingleLogoutService (SAML Profiles §4.4), published in its SP metadata:
 * HTTP-Redirect (GET, Bindings §3.4) and HTTP-POST (§3.5). It takes the IdP's LogoutResponse to
 * a request of ours, and the IdP's own LogoutRequest, which it answers at the IdP.
 */
export function singleLogoutRoutes(deps: SingleLogoutRouteDeps): Router {
  const router = new Router({ prefix: '/sso' });
  // A logout message is a few KB (logout-decoding.ts bounds it at 64 KB before base64).
  const form = bodyParser({ enableTypes: ['form'], formLimit: '128kb' });

  const answer = (ctx: Context, result: SingleLogoutAnswer) => {
    ctx.set('Cache-Control', 'no-store');
    if ('redirect' in result) {
      ctx.status = 303;
      ctx.redirect(result.redirect);
    } else if ('html' in result) {
      ctx.status = result.status;
      ctx.type = 'html';
      ctx.body = result.html;
    } else {
      const data = {
        title: 'Sign-out problem',
        description: UNREADABLE,
        error: result.error,
        requestId: ctx.state.requestId,
      };
      sendPage(ctx, deps.render, 'error', data, result.status);
    }
  };

  const receive = async (ctx: Context, transport: LogoutTransport) =>
    answer(ctx, await deps.singleLogout.receive(ctx.params.connectionId!, transport, ctx.state.log));

  // The query as received: the HTTP-Redirect signature covers its URL-encoded bytes.
  router.get('/saml/:connectionId/slo', (ctx) => receive(ctx, { method: 'GET', rawQuery: ctx.querystring }));
  router.post('/saml/:connectionId/slo', form, (ctx) =>
    receive(ctx, { method: 'POST', form: (ctx.request.body ?? {}) as Record<string, unknown> }),
  );
  return router;
}
