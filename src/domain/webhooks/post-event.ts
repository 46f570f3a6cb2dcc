import type { EventPayload } from '../events/event-payload.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

/** What became of one POST. */
export interface PostOutcome {
  /** A 2xx answer: the receiver has the event. */
  delivered: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  /** Cut short because the worker is stopping: not the receiver's failure. */
  aborted: boolean;
}

export interface PostOptions {
  fetch: typeof fetch;
  now: () => Date;
  timeoutMs: number;
  /** Aborted when the worker stops. */
  stopping: AbortSignal;
}

const MAX_ERROR_LENGTH = 300;

/** The reason a request got no answer, as the delivery log shows it (never a header value). */
function reasonOf(error: unknown, options: PostOptions, timeout: AbortSignal): string {
  if (timeout.aborted) return `no answer within ${options.timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof detail === 'string' ? `${message}: ${detail}` : message).slice(0, MAX_ERROR_LENGTH);
}

/**
 * One signed POST of one event. Redirects are not followed (a 3xx is a failure): the body is
 * signed for the URL the administrator registered, and following would let a receiver send it
 * anywhere. The answer's body is not read; only its status counts.
 */
export async function postEvent(
  url: string,
  secret: string,
  payload: EventPayload,
  options: PostOptions,
): Promise<PostOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(options.now().getTime() / 1000);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.any([options.stopping, timeout]),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Gatehouse-Webhooks/1',
        'Gatehouse-Event-Id': payload.id,
        'Gatehouse-Event-Type': payload.type,
        [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body),
      },
    });
    await response.body?.cancel().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    const redirect = response.status >= 300 && response.status < 400;
    return {
      delivered,
      status: response.status,
      error: redirect ? 'redirects are not followed' : null,
      durationMs: elapsed(),
      aborted: false,
    };
  } catch (error) {
    const aborted = options.stopping.aborted && !timeout.aborted;
    return {
      delivered: false,
      status: null,
      error: aborted ? 'aborted: Gatehouse was shutting down' : reasonOf(error, options, timeout),
      durationMs: elapsed(),
      aborted,
    };
  }
}
