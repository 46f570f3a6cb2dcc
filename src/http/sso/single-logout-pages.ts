import type { Database } from '../../domain/ports/repositories.js';
import type { OutgoingLogoutMessage } from '../../federation/saml/logout-encoding.js';
import type { SamlConnection } from '../../federation/saml/service-provider.js';
import type { RenderPage } from '../../lib/render-page.js';

/** What the SingleLogoutService answers the browser, free of Koa (the routes send it). */
export type SingleLogoutAnswer =
  | { redirect: string }
  | { status: number; html: string }
  /** Nothing could be answered in SAML: the error page, with this code. */
  | { status: number; error: string };

/** A logout message on its way: a redirect (HTTP-Redirect) or an auto-submitting form (HTTP-POST). */
export function outgoingAnswer(
  render: RenderPage,
  message: OutgoingLogoutMessage,
  title: string,
): { redirect: string } | { status: number; html: string } {
  if (message.binding === 'redirect') return { redirect: message.url };
  return { status: 200, html: render('saml-post', { title, action: message.url, fields: message.fields }) };
}

/** Signed out here; the IdP did not confirm its side (or could not be asked). */
export function incompletePage(render: RenderPage, continueTo: string | undefined, status: number) {
  return { status, html: render('logout-upstream-incomplete', { continueTo }) };
}

export type LogoutDirection = 'sp_initiated' | 'idp_initiated';

/** Audit: a Single Logout with the connection's IdP (who, which way, how it went; no message content). */
export async function recordUpstreamLogout(
  db: Database,
  connection: SamlConnection,
  userId: string | null,
  direction: LogoutDirection,
  result: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.audit.append({
    organizationId: connection.organizationId,
    actor:
      direction === 'sp_initiated' && userId
        ? { type: 'user', id: userId }
        : { type: 'system', id: `sso:${connection.id}` },
    action: 'logout.upstream',
    targetType: userId ? 'user' : 'connection',
    targetId: userId ?? connection.id,
    before: null,
    after: { connection_id: connection.id, direction, result, ...details },
  });
}
