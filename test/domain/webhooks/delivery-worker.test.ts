import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { EventRecord } from '../../../src/domain/ports/events.js';
import type {
  DeliveryState,
  NewWebhookDelivery,
  WebhookEndpointRecord,
} from '../../../src/domain/ports/webhooks.js';
import { createWebhookWorker, type WebhookWorkerDeps } from '../../../src/domain/webhooks/delivery-worker.js';
import { verifySignature } from '../../../src/domain/webhooks/signature.js';
import { webhookSecretContext } from '../../../src/domain/webhooks/webhook-secret.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';

const SECRET = 'whsec_unit';
const ORG = 'org_unit';
const START = new Date('2026-11-30T12:00:00.000Z');
const envelope = createEnvelope(randomBytes(32));

const event = (sequence: number, type = 'user.updated'): EventRecord => ({
  organizationId: ORG,
  sequence,
  type,
  data: { id: `usr_${sequence}` },
  occurredAt: START,
});

/** The three repositories the worker uses, in memory, with the lease and compare-and-set rules. */
function memoryStore(events: EventRecord[], overrides: Partial<WebhookEndpointRecord> = {}) {
  const endpoint: WebhookEndpointRecord = {
    id: 'whk_unit',
    organizationId: ORG,
    url: 'https://receiver.example.test/hook',
    secretCiphertext: envelope.seal(SECRET, webhookSecretContext('whk_unit')),
    eventTypes: [],
    enabled: true,
    deliveredThrough: 0,
    failures: 0,
    nextAttemptAt: null,
    createdAt: START,
    updatedAt: START,
    ...overrides,
  };
  const deliveries: NewWebhookDelivery[] = [];
  const last = () => Math.max(0, ...events.map((row) => row.sequence));
  const db = {
    events: {
      listAfter: async (organizationId: string, after: number, limit: number) =>
        events.filter((row) => row.organizationId === organizationId && row.sequence > after).slice(0, limit),
    },
    webhookEndpoints: {
      async claimDue(now: Date, leaseUntil: Date) {
        const due = !endpoint.nextAttemptAt || endpoint.nextAttemptAt <= now;
        if (!endpoint.enabled || last() <= endpoint.deliveredThrough || !due) return [];
        endpoint.nextAttemptAt = leaseUntil;
        return [{ ...endpoint }];
      },
      async settle(_id: string, expected: { deliveredThrough: number; lease: Date }, next: DeliveryState) {
        const same =
          endpoint.deliveredThrough === expected.deliveredThrough &&
          endpoint.nextAttemptAt?.getTime() === expected.lease.getTime();
        if (same) Object.assign(endpoint, next);
        return same;
      },
    },
    webhookDeliveries: {
      append: async (delivery: NewWebhookDelivery) => {
        deliveries.push(delivery);
      },
    },
  } as unknown as WebhookWorkerDeps['db'];
  return { db, endpoint, deliveries };
}

interface Received {
  headers: Headers;
  body: string;
}

/** A receiver behind `fetch`: `answer` decides each status (or hangs until aborted with `hang`). */
function receiver(answer: (payload: { sequence: number }, index: number) => number | 'hang' = () => 204) {
  const received: Received[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = String(init?.body);
    received.push({ headers: new Headers(init?.headers), body });
    const status = answer(JSON.parse(body) as { sequence: number }, received.length - 1);
    if (status === 'hang') {
      return new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    }
    return new Response(null, { status });
  }) as typeof fetch;
  return {
    fetch: fetchImpl,
    received,
    sequences: () => received.map((r) => JSON.parse(r.body).sequence as number),
  };
}

function worker(
  store: ReturnType<typeof memoryStore>,
  fetchImpl: typeof fetch,
  clock: { now: Date },
  timeoutMs = 10_000,
) {
  return createWebhookWorker({
    db: store.db,
    envelope,
    fetch: fetchImpl,
    now: () => clock.now,
    logger: { warn: () => {}, error: () => {} },
    pollMs: 10,
    timeoutMs,
  });
}

describe('webhook delivery worker', () => {
  it('posts each event once, in sequence order, signed, and moves the cursor past each 2xx', async () => {
    const store = memoryStore([event(1), event(2), event(3)]);
    const target = receiver();
    const clock = { now: START };
    expect(await worker(store, target.fetch, clock).runOnce()).toBe(1);
    expect(target.sequences()).toEqual([1, 2, 3]);
    const [first] = target.received;
    expect(first?.headers.get('content-type')).toBe('application/json');
    expect(first?.headers.get('gatehouse-event-id')).toBe('evt_unit.1');
    expect(JSON.parse(first?.body ?? '')).toEqual({
      id: 'evt_unit.1',
      organization_id: ORG,
      sequence: 1,
      type: 'user.updated',
      occurred_at: START.toISOString(),
      data: { id: 'usr_1' },
    });
    const signature = first?.headers.get('gatehouse-signature') ?? '';
    expect(signature).toMatch(new RegExp(`^t=${START.getTime() / 1000},v1=[0-9a-f]{64}$`));
    expect(verifySignature(SECRET, signature, first?.body ?? '', START.getTime() / 1000)).toBe(true);
    expect(store.endpoint).toMatchObject({ deliveredThrough: 3, failures: 0, nextAttemptAt: null });
    expect(store.deliveries.map((row) => [row.sequence, row.attempt, row.status])).toEqual([
      [1, 1, 204],
      [2, 1, 204],
      [3, 1, 204],
    ]);
    expect(await worker(store, target.fetch, clock).runOnce()).toBe(0);
  });

  it('stops at a failure, backs off 5 s, then 10 s, and goes on from the same event', async () => {
    const store = memoryStore([event(1), event(2), event(3)]);
    const target = receiver((payload, index) => (payload.sequence === 2 && index < 3 ? 500 : 200));
    const clock = { now: START };
    const run = () => worker(store, target.fetch, clock).runOnce();
    await run();
    expect(target.sequences()).toEqual([1, 2]);
    expect(store.endpoint).toMatchObject({
      deliveredThrough: 1,
      failures: 1,
      nextAttemptAt: new Date(START.getTime() + 5_000),
    });
    clock.now = new Date(START.getTime() + 4_999);
    expect(await run()).toBe(0);
    clock.now = new Date(START.getTime() + 5_000);
    await run();
    expect(store.endpoint).toMatchObject({
      failures: 2,
      nextAttemptAt: new Date(clock.now.getTime() + 10_000),
    });
    clock.now = new Date(clock.now.getTime() + 10_000);
    await run();
    expect(target.sequences()).toEqual([1, 2, 2, 2, 3]);
    expect(store.endpoint).toMatchObject({ deliveredThrough: 3, failures: 0, nextAttemptAt: null });
    expect(store.deliveries.map((row) => [row.sequence, row.attempt, row.status])).toEqual([
      [1, 1, 200],
      [2, 1, 500],
      [2, 2, 500],
      [2, 3, 200],
      [3, 1, 200],
    ]);
  });

  it('counts no answer within the timeout as a failure', async () => {
    const store = memoryStore([event(1)]);
    const target = receiver(() => 'hang');
    await worker(store, target.fetch, { now: START }, 50).runOnce();
    expect(store.deliveries).toEqual([
      expect.objectContaining({ sequence: 1, attempt: 1, status: null, error: 'no answer within 50 ms' }),
    ]);
    expect(store.endpoint).toMatchObject({ deliveredThrough: 0, failures: 1 });
  });

  it('does not follow redirects', async () => {
    const store = memoryStore([event(1)]);
    await worker(store, receiver(() => 307).fetch, { now: START }).runOnce();
    expect(store.deliveries[0]).toMatchObject({ status: 307, error: 'redirects are not followed' });
    expect(store.endpoint).toMatchObject({ deliveredThrough: 0, failures: 1 });
  });

  it('passes over event types the endpoint did not subscribe to, without a request', async () => {
    const store = memoryStore([event(1, 'role.created'), event(2), event(3, 'role.deleted')], {
      eventTypes: ['user.updated'],
    });
    const target = receiver();
    await worker(store, target.fetch, { now: START }).runOnce();
    expect(target.sequences()).toEqual([2]);
    expect(store.endpoint.deliveredThrough).toBe(3);
  });

  it('on stop, aborts the request in flight without counting a failure and frees the endpoint at once', async () => {
    const store = memoryStore([event(1), event(2)]);
    const target = receiver(() => 'hang');
    const running = worker(store, target.fetch, { now: START });
    running.start();
    while (target.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await running.stop();
    expect(store.endpoint).toMatchObject({ deliveredThrough: 0, failures: 0, nextAttemptAt: null });
    expect(store.deliveries).toEqual([
      expect.objectContaining({ sequence: 1, status: null, error: 'aborted: Gatehouse was shutting down' }),
    ]);
  });

  it('stops when an administrator changed the endpoint under it (the lease is lost)', async () => {
    const store = memoryStore([event(1), event(2), event(3)]);
    const target = receiver((payload) => {
      // A replay lands while event 1 is in flight.
      if (payload.sequence === 1) Object.assign(store.endpoint, { deliveredThrough: 0, nextAttemptAt: null });
      return 200;
    });
    await worker(store, target.fetch, { now: START }).runOnce();
    expect(target.sequences()).toEqual([1]);
    expect(store.endpoint).toMatchObject({ deliveredThrough: 0, nextAttemptAt: null });
  });
});
