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
}

/**
 * Fixed one-minute windows in the shared store, so every instance behind a load balancer counts
 * together. Over the limit: 429 with Retry-After and an OAuth-shaped body.
 */
export function rateLimit(store: EphemeralStore, rule: RateLimitRule): Middleware {
  return async (ctx, next) => {
    const key = rule.key(ctx);
    if (key === undefined) return next();
    const count = await store.hit(`rl:${rule.name}:${key}`, 60);
    if (count > rule.perMinute) {
      ctx.set('Retry-After', String(60 - (Math.floor(Date.now() / 1000) % 60)));
      ctx.status = 429;
      if (rule.reject) rule.reject(ctx);
      else oauthError(ctx, 429, 'temporarily_unavailable', 'too many requests, retry later');
      return;
    }
    await next();
  };
}
