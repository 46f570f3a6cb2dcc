import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Gives every request an id (an upstream X-Request-Id when it is well formed) and logs one line per
 * request. Only the path is logged: query strings carry codes, states and tokens.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    // The child logger is made on first use: most requests only write the summary line below.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (child ??= logger.child({ requestId })) });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
        const ms = Math.round(performance.now() - started);
        logger.info({ requestId, method: ctx.method, path: ctx.path, status, ms }, 'request');
      }
    }
  };
}
