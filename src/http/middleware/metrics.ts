import type { Middleware } from 'koa';
import type { ServerMetrics } from '../../lib/metrics/prometheus-metrics.js';
import { routeLabel } from '../metrics/route-label.js';

/** The status Koa answers an error that escaped every handler with. */
function statusOfError(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const code = status ?? statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
}

/**
 * Counts and times every request by method, route template and status class. Installed first,
 * so it sees the final status of whatever answered: our pages, the provider's protocol routes,
 * and errors Koa answers itself.
 */
export function httpMetrics(metrics: Pick<ServerMetrics, 'httpRequest'>): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    let status = 500;
    try {
      await next();
      // A handler that wrote the response itself (ctx.respond = false) set the status there.
      status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
    } catch (error) {
      status = statusOfError(error);
      throw error;
    } finally {
      metrics.httpRequest({
        method: ctx.method,
        route: routeLabel(ctx._matchedRoute, ctx.path),
        status,
        seconds: (performance.now() - started) / 1000,
      });
    }
  };
}
