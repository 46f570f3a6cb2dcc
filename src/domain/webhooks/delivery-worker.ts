import type { Envelope } from '../../lib/crypto/envelope.js';
import { createPollLoop } from '../../lib/poll-loop.js';
import type { Metrics } from '../ports/metrics.js';
import type { Database } from '../ports/repositories.js';
import { deliverClaimed } from './endpoint-delivery.js';

export interface WorkerLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WebhookWorkerDeps {
  db: Pick<Database, 'events' | 'webhookEndpoints' | 'webhookDeliveries'>;
  envelope: Envelope;
  logger: WorkerLog;
  /** How long to wait between looks when no endpoint has anything due. */
  pollMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
  /** One request's limit before it counts as failed (default 10 s). */
  timeoutMs?: number;
  /** Endpoints delivered side by side (default 4): one slow receiver does not hold up the rest. */
  concurrency?: number;
  /** Events read per claim (default 100). */
  batchSize?: number;
  /** Counts each attempt's outcome for the operator (domain/ports/metrics.ts). */
  metrics?: Pick<Metrics, 'webhookDelivery'>;
}

export interface WebhookWorker {
  start(): void;
  /** Aborts requests in flight (their events go again: at least once), then waits for the loop. */
  stop(): Promise<void>;
  /** One round: claims what is due and delivers it; resolves with the number of endpoints claimed. */
  runOnce(): Promise<number>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Pushes each organization's events to its webhook endpoints. State lives in the database only
 * (cursor, backoff, lease), so any number of processes run this side by side: an endpoint is
 * leased to one at a time (claimDue), and a process that dies loses its lease after
 * `timeoutMs * 3`, when another takes over from the last acknowledged event.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = deps.now ?? (() => new Date());
  const leaseMs = timeoutMs * 3;
  const concurrency = deps.concurrency ?? 4;
  // A round runs only after start(), when runOnce below is defined.
  const loop = createPollLoop({
    round: () => runOnce(),
    pollMs: deps.pollMs,
    onError: (error) => deps.logger.warn({ err: error }, 'could not claim webhook endpoints'),
  });

  const runOnce = async (): Promise<number> => {
    const at = now();
    const claimed = await deps.db.webhookEndpoints.claimDue(
      at,
      new Date(at.getTime() + leaseMs),
      concurrency,
    );
    const delivery = {
      repos: deps.db,
      envelope: deps.envelope,
      fetch: deps.fetch ?? fetch,
      now,
      timeoutMs,
      leaseMs,
      batchSize: deps.batchSize ?? 100,
      stopping: loop.signal,
      metrics: deps.metrics,
    };
    await Promise.all(
      claimed.map((endpoint) =>
        deliverClaimed(delivery, endpoint).catch((error: unknown) =>
          // Its lease runs out and the next claim tries again; the log says why.
          deps.logger.error({ err: error, webhookId: endpoint.id }, 'webhook delivery failed'),
        ),
      ),
    );
    return claimed.length;
  };

  return { start: loop.start, stop: loop.stop, runOnce };
}
