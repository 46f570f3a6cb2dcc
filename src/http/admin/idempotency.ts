import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { ProblemError } from './problem.js';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const MAX_KEY_LENGTH = 255;

type Entry =
  | { state: 'pending'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; body: unknown; location?: string };

export interface IdempotencyOptions {
  store: EphemeralStore;
  /** Who is asking (e.g. the API key id): keys of different callers never meet. */
  scope: (ctx: Context) => string;
  /** Reads the request body so that `ctx.request.rawBody` is set (the route's own body parser). */
  readBody: Middleware;
  /**
   * Seals stored answers: some carry a secret shown once (a new client secret, a new API key),
   * which must not sit in the store in plain text while it waits for a retry.
   */
  envelope: Envelope;
  ttlSeconds?: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * draft-ietf-httpapi-idempotency-key-header: a POST retried with the same Idempotency-Key gets the
 * first answer again instead of a second effect. Requests without the header pass untouched.
 */
export function idempotency(options: IdempotencyOptions): Middleware {
  const { store, ttlSeconds = IDEMPOTENCY_TTL_SECONDS } = options;
  return async (ctx, next) => {
    const key = ctx.get('Idempotency-Key');
    if (ctx.method !== 'POST' || !key) return next();
    if (key.length > MAX_KEY_LENGTH) {
      throw new ProblemError(
        400,
        'invalid_idempotency_key',
        `Idempotency-Key is longer than ${MAX_KEY_LENGTH}.`,
      );
    }
    await options.readBody(ctx, async () => {});
    const fingerprint = sha256(`${ctx.method} ${ctx.path}\n${ctx.request.rawBody ?? ''}`);
    // Hashed so that any key text makes a bounded store key with no separator inside.
    const storeKey = `idempotency:${options.scope(ctx)}:${sha256(key)}`;
    const pending: Entry = { state: 'pending', fingerprint };
    const seal = (entry: Entry) => options.envelope.seal(JSON.stringify(entry), storeKey);
    if (!(await store.putIfAbsent(storeKey, seal(pending), ttlSeconds))) {
      const stored = await store.get(storeKey);
      return replay(
        ctx,
        stored === undefined ? undefined : (JSON.parse(options.envelope.open(stored, storeKey)) as Entry),
        fingerprint,
      );
    }
    try {
      await next();
    } catch (error) {
      await store.delete(storeKey);
      throw error;
    }
    // A server failure says nothing about the outcome the client wants: let the retry run again.
    if (ctx.status >= 500) {
      await store.delete(storeKey);
      return;
    }
    const location = ctx.response.get('Location') || undefined;
    const done: Entry = { state: 'done', fingerprint, status: ctx.status, body: ctx.body, location };
    await store.put(storeKey, seal(done), ttlSeconds);
  };
}

function replay(ctx: Context, entry: Entry | undefined, fingerprint: string): void {
  // Absent: the first request failed and released the key between our two reads; a retry will run.
  if (!entry) throw new ProblemError(409, 'idempotency_key_in_use', 'Retry the request.');
  if (entry.fingerprint !== fingerprint) {
    throw new ProblemError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was used for a different request. Use a new key for a new request.',
    );
  }
  if (entry.state === 'pending') {
    throw new ProblemError(
      409,
      'idempotency_key_in_use',
      'A request with this Idempotency-Key is still being processed. Retry later.',
    );
  }
  ctx.status = entry.status;
  // Koa turns a null body into 204, which is not what was first answered.
  if (entry.body !== undefined && entry.body !== null) ctx.body = entry.body;
  if (entry.location) ctx.set('Location', entry.location);
  ctx.set('Idempotent-Replayed', 'true');
}
