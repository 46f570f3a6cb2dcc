import type { Context, Middleware } from 'koa';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { oauthError } from '../oauth-error.js';

export interface RateLimitRule {
  name: string;
  perMinute: number;
  /** Which requests count, and under which key (usually the client IP); undefined skips the rule. */
  key(ctx: Context): string | undefined;
  /** How to answer over the limit; OAuth JSON unless a page wants to say it in HTML. */
  reject?(ctx: Context): void;
  /**
   * strict: the shared count is read before the request goes on (password attempts: every
   * guess counts at once). overlapped: the count is sent while the request runs and the decision
   * uses the last count this process saw, so a busy endpoint does not wait on the store; a burst
   * can overshoot by the requests already in flight (token endpoint).
   */
  mode?: 'strict' | 'overlapped';
}

const WINDOW_SECONDS = 60;
const currentWindow = () => Math.floor(Date.now() / 1000 / WINDOW_SECONDS);

/**
 * Fixed one-minute windows in the shared store, so every instance behind a load balancer counts
 * together. Over the limit: 429 with Retry-After and an OAuth-shaped body.
 */
export function rateLimit(store: EphemeralStore, rule: RateLimitRule): Middleware {
  const lastSeen = createLastSeenCounts();
  const countOf = async (ctx: Context, key: string): Promise<number> => {
    // The window number is part of the key, so windows align with the clock and Retry-After is exact.
    const storeKey = `rl:${rule.name}:${key}:${currentWindow()}`;
    if (rule.mode !== 'overlapped') return store.hit(storeKey, WINDOW_SECONDS);
    store.hit(storeKey, WINDOW_SECONDS).then(
      (count) => lastSeen.set(key, count),
      (error: unknown) => ctx.state.log?.warn({ err: error, rule: rule.name }, 'rate-limit counter failed'),
    );
    return lastSeen.get(key);
  };

  return async (ctx, next) => {
    const key = rule.key(ctx);
    if (key === undefined) return next();
    if ((await countOf(ctx, key)) > rule.perMinute) {
      ctx.set('Retry-After', String(WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS)));
      ctx.status = 429;
      if (rule.reject) rule.reject(ctx);
      else oauthError(ctx, 429, 'temporarily_unavailable', 'too many requests, retry later');
      return;
    }
    await next();
  };
}

/** The newest count the store returned per key, for the current window only (older ones are dropped). */
function createLastSeenCounts() {
  let window = -1;
  let counts = new Map<string, number>();
  const current = () => {
    const now = currentWindow();
    if (now !== window) {
      window = now;
      counts = new Map();
    }
    return counts;
  };
  return {
    get: (key: string) => current().get(key) ?? 0,
    set: (key: string, count: number) => current().set(key, Math.max(count, current().get(key) ?? 0)),
  };
}
