import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { Metrics } from '../domain/ports/metrics.js';
import type { Database } from '../domain/ports/repositories.js';
import { createWebhookWorker } from '../domain/webhooks/delivery-worker.js';
import type { Envelope } from '../lib/crypto/envelope.js';
import { createGuardedFetch, internalAddresses } from '../lib/guarded-fetch.js';

/** Part of the composition root: the worker that pushes events to webhook endpoints (the server starts it). */
export function wireWebhooks(env: Env, db: Database, envelope: Envelope, logger: Logger, metrics: Metrics) {
  return {
    webhookWorker: createWebhookWorker({
      db,
      envelope,
      logger: logger.child({ component: 'webhooks' }),
      pollMs: env.WEBHOOK_POLL_MS,
      metrics,
      // Tenants choose the URLs: in production they reach the internet only, unless the
      // operator runs internal receivers and says so.
      ...(env.NODE_ENV === 'production' && !env.WEBHOOK_ALLOW_INTERNAL
        ? { fetch: createGuardedFetch(internalAddresses()) }
        : {}),
    }),
  };
}
export type WebhookServices = ReturnType<typeof wireWebhooks>;
