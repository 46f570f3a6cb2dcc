import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware, Next } from 'koa';
import { sameSecret } from '../../lib/crypto/same-secret.js';
import { portalStateOf } from './portal-access.js';

/** The form field every portal POST carries. */
export const CSRF_FIELD = 'csrf';

/**
 * The session's anti-forgery token, for a page's forms. It is bound to the server-side session
 * (not a double-submit cookie): another origin can neither read it nor plant one.
 */
export function portalCsrfToken(ctx: Context): string {
  const session = portalStateOf(ctx).portalSession;
  if (!session) throw new Error('portal page rendered without a portal session');
  return session.csrf;
}

/** The posted form's value of a field, when it is a single string. */
export function formField(ctx: Context, name: string): string | undefined {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses a urlencoded form and refuses it (403) unless it carries the session's CSRF token.
 * Put it after requirePortal on every portal POST route:
 * `router.post('/x', requirePortal('sso'), portalForm(), handler)`.
 */
export function portalForm(formLimit = '64kb'): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit });
  return (ctx: Context, next: Next) =>
    parse(ctx, async () => {
      const session = portalStateOf(ctx).portalSession;
      const sent = formField(ctx, CSRF_FIELD);
      if (!session || sent === undefined || !sameSecret(sent, session.csrf))
        ctx.throw(403, 'This form has expired or was not sent from the portal. Reload the page and retry.');
      await next();
    });
}
