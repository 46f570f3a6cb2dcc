import Router from '@koa/router';
import { sameSecret } from '../../lib/crypto/same-secret.js';
import type { ServerMetrics } from '../../lib/metrics/prometheus-metrics.js';

export interface MetricsRouteDeps {
  /** The bearer token scrapers send (METRICS_TOKEN). */
  token: string;
  metrics: Pick<ServerMetrics, 'exposition'>;
}

/**
 * GET /metrics in the Prometheus text format, for a scraper holding the token. The counters
 * carry no tenant data, but their rates tell who is busy and failing: not for everyone. The token is
 * compared in constant time.
 */
export function metricsRoutes(deps: MetricsRouteDeps): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const [scheme, presented] = ctx.get('authorization').split(' ');
    const valid = scheme?.toLowerCase() === 'bearer' && !!presented && sameSecret(presented, deps.token);
    if (!valid) {
      // RFC 6750 §3: no credentials get the challenge alone; wrong ones get invalid_token.
      ctx.set(
        'WWW-Authenticate',
        presented ? 'Bearer realm="metrics", error="invalid_token"' : 'Bearer realm="metrics"',
      );
      ctx.status = 401;
      ctx.body = { error: 'invalid_token', error_description: 'a valid metrics bearer token is required' };
      return;
    }
    const { contentType, body } = await deps.metrics.exposition();
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
