import Router from '@koa/router';
import type { Context } from 'koa';
import {
  portalPrincipalFromLink,
  type LinkRefusal,
  type SetupLinks,
} from '../../domain/portal/setup-links.js';
import type { RenderPage } from '../../lib/render-page.js';
import { sendPage } from '../views.js';
import { INTENT_PAGES } from './portal-sign-in.js';
import type { PortalCookies } from './portal-session-cookie.js';

export interface PortalLinkDeps {
  render: RenderPage;
  links: Pick<SetupLinks, 'inspect' | 'consume'>;
  cookies: PortalCookies;
}

const TASK_NAMES = {
  sso: 'set up single sign-on',
  dsync: 'set up directory sync',
  domains: 'verify domains',
};

/** Gone (410) for a link that existed; 404 for one that never did, or whose organization is gone. */
const REFUSALS: Record<LinkRefusal, { status: number; title: string; description: string }> = {
  unknown: {
    status: 404,
    title: 'Link not found',
    description: 'This setup link is not valid. Check that you copied all of it, or ask for a new one.',
  },
  used: {
    status: 410,
    title: 'Link already used',
    description:
      'This setup link has already been used, and each link works once. Ask the person who sent it for a new one.',
  },
  expired: {
    status: 410,
    title: 'Link expired',
    description: 'This setup link has expired. Ask the person who sent it for a new one.',
  },
};

const refuse = (ctx: Context, render: RenderPage, refusal: LinkRefusal) => {
  const { status, ...page } = REFUSALS[refusal];
  sendPage(ctx, render, 'portal/link-refused', page, status);
};

/**
 * A setup link: GET shows what it opens and asks to continue; only the POST uses it. Mail
 * scanners and link previews fetch URLs they see, and must not burn a single-use link. The
 * secret in the path is the proof; the page is never cached and sends no Referer
 * (layout: referrer no-referrer).
 */
export function portalLinkRoutes(deps: PortalLinkDeps): Router {
  const router = new Router({ prefix: '/portal/setup' });

  router.get('/:secret', async (ctx) => {
    const outcome = await deps.links.inspect(ctx.params.secret ?? '');
    if (!outcome.ok) return refuse(ctx, deps.render, outcome.refusal);
    sendPage(ctx, deps.render, 'portal/link-continue', {
      title: 'Continue to the setup portal',
      organizationName: outcome.organization.name,
      task: TASK_NAMES[outcome.link.intent],
      expiresAt: outcome.link.expiresAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      action: `/portal/setup/${ctx.params.secret}`,
    });
  });

  router.post('/:secret', async (ctx) => {
    // Fetch Metadata: another site must not sign this browser in to a portal of its choosing
    // (login CSRF); our own Continue button posts same-origin.
    if (ctx.get('sec-fetch-site') === 'cross-site') ctx.throw(403, 'Open the setup link itself to continue.');
    const outcome = await deps.links.consume(ctx.params.secret ?? '');
    if (!outcome.ok) return refuse(ctx, deps.render, outcome.refusal);
    await deps.cookies.signIn(ctx, portalPrincipalFromLink(outcome.link, outcome.organization));
    ctx.status = 303;
    ctx.redirect(INTENT_PAGES[outcome.link.intent]);
  });

  return router;
}
