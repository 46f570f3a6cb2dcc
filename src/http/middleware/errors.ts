import type { Context, Middleware } from 'koa';
import type { RenderPage } from '../../lib/render-page.js';

const GENERIC = 'Something went wrong on our side. Please try again.';
const SESSION_EXPIRED =
  'This sign-in page has expired or was opened in another browser. Go back to the application and sign in again.';

interface RaisedError {
  name?: string;
  message?: string;
  status?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
}

/** What a person may read: protocol descriptions and deliberate messages, never internals. */
function publicDescription(error: RaisedError, status: number): string {
  if (status >= 500) return GENERIC;
  if (error.name === 'SessionNotFound') return SESSION_EXPIRED;
  if (error.error_description) return error.error_description;
  return error.expose && error.message ? error.message : GENERIC;
}

/**
 * Last line of defence for our own routes (oidc-provider answers its own errors): the log gets
 * the cause, the person gets a plain page (or JSON for API callers) with a reference.
 */
export function errorPages(render: RenderPage): Middleware {
  return async (ctx: Context, next) => {
    try {
      await next();
    } catch (caught) {
      const error = caught as RaisedError;
      const status = error.status ?? 500;
      ctx.state.log?.[status >= 500 ? 'error' : 'warn']({ err: caught }, 'request failed');
      ctx.status = status;
      const description = publicDescription(error, status);
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = {
          error: error.error ?? (status >= 500 ? 'server_error' : 'invalid_request'),
          error_description: description,
        };
      } else {
        ctx.type = 'html';
        ctx.body = render('error', {
          title: 'Something went wrong',
          description,
          requestId: ctx.state.requestId,
          // The organization's look when the page knows it (http/middleware/page-brand.ts).
          brand: ctx.state.brand ?? (await ctx.state.brandOnError?.()),
        });
      }
    }
  };
}
