import type { Middleware } from 'koa';
import type { RenderPage } from '../../lib/render-page.js';

/**
 * Last line of defence for our own routes (oidc-provider answers its own errors): the log gets
 * the cause, the person gets a plain page with a reference and no internals.
 */
export function errorPages(render: RenderPage): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      const expose = status < 500 && (error as { expose?: boolean }).expose;
      ctx.state.log?.[status >= 500 ? 'error' : 'warn']({ err: error }, 'request failed');
      ctx.status = status;
      const description = expose
        ? (error as Error).message
        : 'Something went wrong on our side. Please try again.';
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = {
          error: status >= 500 ? 'server_error' : 'invalid_request',
          error_description: description,
        };
      } else {
        ctx.type = 'html';
        ctx.body = render('error', {
          title: 'Something went wrong',
          description,
          requestId: ctx.state.requestId,
        });
      }
    }
  };
}
