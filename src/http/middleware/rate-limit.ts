import type { Context, Middleware } from 'koa';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { oauthError } from '../oauth-error.js';
import { createBatchedCounter, currentWindow, WINDOW_SECONDS } from './batched-counter.js';

export interface RateLimitRule {
  name: string;
  perMinute: number;
  /** Which requests count, and under which key (usually the client IP); undefined skips the rule. */
  key(ctx: Context): string | undefined;
  /** How to answer over the limit; OAuth JSON unless a page wants to say it in HTML. */
  reject?(ctx: Context): void;
  /**
   * strict: every request adds to the shared count and waits for it (password attempts: each
   * guess counts at once, everywhere). batched: counts are sent to the shared store in batches
   * (batched-counter.ts), so a busy endpoint pays no store round trip per request; instances see
   * each other's counts a fraction of a second late (token endpoint).
   */
  mode?: 'strict' | 'batched';
}

/**
 * Fixed one-minute windows in the shared store, so every instance behind a load balancer counts
 * together. Over the limit: 429 with Retry-After and an OAuth-shaped body.
 */
export function rateLimit(store: EphemeralStore, rule: RateLimitRule): Middleware {
  const batched = rule.mode === 'batched' ? createBatchedCounter(store, rule.name) : undefined;
  const countOf = (ctx: Context, key: string): Promise<number> | number => {
    if (batched)
      return batched.add(key, (error) =>
        ctx.state.log?.warn({ err: error, rule: rule.name }, 'rate-limit counter failed'),
      );
    // The window number is part of the key, so windows align with the clock and Retry-After is exact.
    return store.hit(`rl:${rule.name}:${key}:${currentWindow()}`, WINDOW_SECONDS);
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
