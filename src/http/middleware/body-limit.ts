import type { Middleware } from 'koa';
import { oauthError } from '../oauth-error.js';

/**
 * Refuses a body larger than the limit before anyone reads it: declared lengths are checked here,
 * streamed (chunked) bodies are cut by each body parser's own limit.
 */
export function bodyLimit(maxBytes: number): Middleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > maxBytes) {
      oauthError(ctx, 413, 'invalid_request', `request body exceeds ${maxBytes} bytes`);
      ctx.set('Connection', 'close');
      return;
    }
    await next();
  };
}
