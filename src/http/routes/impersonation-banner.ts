import type { Context, Middleware } from 'koa';
import type { SupportSessions } from '../../domain/impersonation/support-session.js';
import type { Sessions } from '../../domain/ports/sessions.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { SessionAccount } from '../../oidc/session-account.js';

export interface SupportBannerDeps {
  sessionAccount(ctx: Context): Promise<SessionAccount | undefined>;
  sessions: Pick<Sessions, 'get' | 'end'>;
  support: Pick<SupportSessions, 'banner'>;
  render: RenderPage;
}

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Every hosted page of a support session says so, at the top of the page: who acts as whom, until
 * when and why, so that neither the operator nor anyone watching the screen mistakes it for the
 * user's own session. The pages are rendered by many routes (and by oidc-provider's own pages),
 * so the banner is added to the finished HTML. A session whose impersonation is over (revoked or
 * past its end) is ended here at its next page, whichever instance serves it.
 */
export function supportBanner(deps: SupportBannerDeps): Middleware {
  return async (ctx, next) => {
    await next();
    const page = ctx.body;
    if (typeof page !== 'string' || !ctx.response.is('html') || !page.includes('<body>')) return;
    const account = await deps.sessionAccount(ctx);
    const impersonation = account && (await deps.sessions.get(account.sessionUid))?.impersonation;
    if (!account || !impersonation) return;
    const banner = await deps.support.banner(impersonation.impersonationId);
    if (!banner) await deps.sessions.end(account.sessionUid, 'impersonation_ended');
    const html = deps.render('partials/support-banner', {
      ended: !banner,
      ...(banner ? { ...banner, until: when(banner.until) } : {}),
    });
    ctx.body = page.replace('<body>', `<body>\n${html}`);
  };
}
