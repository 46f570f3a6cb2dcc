import type { Context } from 'koa';
import type { PortalIntent } from '../../domain/portal/portal-principal.js';
import type { RenderPage } from '../../lib/render-page.js';
import { sendPage } from '../views.js';
import { portalStateOf } from './portal-access.js';

/** The tasks in the portal's navigation, in this order. */
export const PORTAL_TASKS: ReadonlyArray<{ intent: PortalIntent; label: string; href: string }> = [
  { intent: 'sso', label: 'Single sign-on', href: '/portal/sso' },
  { intent: 'dsync', label: 'Directory sync', href: '/portal/directories' },
  { intent: 'domains', label: 'Domains', href: '/portal/domains' },
];

/**
 * Renders a portal page (views/portal/<view>.eta, which uses `layout('./layout-portal', ...)`)
 * with what the layout needs: `it.portal` (organization, navigation of the allowed tasks, the
 * current one) and `it.csrf` for the page's forms. The layout also reads, when the page gives
 * them, `portalBanners` (sentences shown above the page) and `stylesheets` (more files of
 * views/assets/ to link in the head).
 */
export function sendPortalPage(
  ctx: Context,
  render: RenderPage,
  view: string,
  data: Record<string, unknown> & { title: string; current?: PortalIntent | 'home' },
  status = 200,
): void {
  const session = portalStateOf(ctx).portalSession;
  const principal = session?.principal;
  const nav = principal
    ? PORTAL_TASKS.filter((task) => principal.intents.includes(task.intent)).map((task) => ({
        ...task,
        current: task.intent === data.current,
      }))
    : [];
  sendPage(
    ctx,
    render,
    `portal/${view}`,
    {
      ...data,
      csrf: session?.csrf ?? '',
      portal: principal
        ? { organizationName: principal.organizationName, nav, home: data.current === 'home' }
        : null,
    },
    status,
  );
}
