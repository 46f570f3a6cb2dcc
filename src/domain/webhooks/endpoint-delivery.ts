import type { Envelope } from '../../lib/crypto/envelope.js';
import type { Metrics } from '../ports/metrics.js';
import { eventPayload } from '../events/event-payload.js';
import type { Repositories } from '../ports/repositories.js';
import type { DeliveryState, WebhookEndpointRecord } from '../ports/webhooks.js';
import { retryDelayMs } from './backoff.js';
import { postEvent, type PostOptions } from './post-event.js';
import { webhookSecretContext } from './webhook-secret.js';

export interface EndpointDeliveryDeps extends PostOptions {
  repos: Pick<Repositories, 'events' | 'webhookEndpoints' | 'webhookDeliveries'>;
  envelope: Envelope;
  /** How long a claim stays ours after each acknowledged event. */
  leaseMs: number;
  /** Events read per claim; an endpoint further behind is claimed again at once. */
  batchSize: number;
  metrics?: Pick<Metrics, 'webhookDelivery'>;
}

const wants = (endpoint: WebhookEndpointRecord, type: string) =>
  endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type);

/**
 * Delivers a claimed endpoint's next events, one at a time and in sequence order: the next one
 * goes only after a 2xx for this one, so a receiver sees them in order. Each 2xx moves the
 * cursor in the database before the next POST (a restart resumes right after the last
 * acknowledged event: at least once, never skipped). The first failure writes the backoff and
 * ends the run; events the endpoint does not subscribe to move the cursor without a request.
 */
export async function deliverClaimed(
  deps: EndpointDeliveryDeps,
  endpoint: WebhookEndpointRecord,
): Promise<void> {
  const { repos } = deps;
  let stored = endpoint.deliveredThrough;
  let lease = endpoint.nextAttemptAt;
  if (lease === null) throw new Error(`webhook ${endpoint.id} was not claimed`);
  const settle = async (next: DeliveryState): Promise<boolean> => {
    const expected = { deliveredThrough: stored, lease: lease as Date };
    if (!(await repos.webhookEndpoints.settle(endpoint.id, expected, next))) return false;
    stored = next.deliveredThrough;
    lease = next.nextAttemptAt;
    return true;
  };
  const later = (ms: number) => new Date(deps.now().getTime() + ms);

  const secret = deps.envelope.open(endpoint.secretCiphertext, webhookSecretContext(endpoint.id));
  const events = await repos.events.listAfter(endpoint.organizationId, stored, deps.batchSize);
  let passed = stored;
  let failures = endpoint.failures;
  for (const event of events) {
    if (deps.stopping.aborted) break;
    if (!wants(endpoint, event.type)) {
      // Failures count attempts at the event after the cursor: a new event starts afresh.
      passed = event.sequence;
      failures = 0;
      continue;
    }
    const outcome = await postEvent(endpoint.url, secret, eventPayload(event), deps);
    await repos.webhookDeliveries.append({
      endpointId: endpoint.id,
      sequence: event.sequence,
      attempt: failures + 1,
      status: outcome.status,
      error: outcome.error,
      durationMs: outcome.durationMs,
      at: deps.now(),
    });
    const counted = outcome.delivered ? 'delivered' : outcome.aborted ? 'aborted' : 'failed';
    deps.metrics?.webhookDelivery(counted, outcome.durationMs / 1000);
    if (outcome.aborted) break;
    if (!outcome.delivered) {
      failures += 1;
      await settle({ deliveredThrough: passed, failures, nextAttemptAt: later(retryDelayMs(failures)) });
      return;
    }
    passed = event.sequence;
    failures = 0;
    // Lost (an administrator replayed or changed it meanwhile): whoever claims it next goes on.
    if (!(await settle({ deliveredThrough: passed, failures, nextAttemptAt: later(deps.leaseMs) }))) return;
  }
  await settle({ deliveredThrough: passed, failures, nextAttemptAt: null });
}
