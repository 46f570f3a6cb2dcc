import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { KeptConfiguration } from '../ports/kept-configuration.js';
import type { Rate } from './rate.js';

/** The contract's limit for an organization, and the id its counter is kept under (the root's). */
export type RateLimitOf = (organizationId: string) => Promise<{ contractId: string; rate: Rate } | undefined>;

/**
 * How long a process trusts a plan it read when the configuration is not kept across requests: a
 * changed limit applies within this many ms. When it is kept, the limit is kept with it until the
 * configuration changes, and a changed limit applies at once.
 */
const PLAN_CACHE_MS = 5_000;

export interface OrganizationRateLimiter {
  /** Counts one request; undefined when within the plan's limit, else whole seconds to wait (>= 1). */
  hit(organizationId: string): Promise<number | undefined>;
}

/**
 * The plan's `api_rate_limit`, one budget per contract shared by its admin API keys, its SCIM
 * directories and the token requests of its clients. Fixed windows aligned with the clock in the
 * shared store (INCRBY + EXPIRE NX in one MULTI on Redis: atomic across instances), so every
 * instance counts together and Retry-After is the time left in the window.
 */
export function createOrganizationRateLimiter(
  store: EphemeralStore,
  limitOf: RateLimitOf,
  now: () => Date,
  kept?: KeptConfiguration,
): OrganizationRateLimiter {
  const plans = new Map<string, { until: number; limit: Awaited<ReturnType<RateLimitOf>> }>();
  const cachedLimit = async (organizationId: string) => {
    // An organization deleted meanwhile has no limit to apply; the request fails on its own.
    if (kept?.keeping())
      return kept
        .remembered(`api-rate-limit\u0000${organizationId}`, () => limitOf(organizationId))
        .catch(() => undefined);
    const at = Date.now();
    const cached = plans.get(organizationId);
    if (cached && cached.until > at) return cached.limit;
    const limit = await limitOf(organizationId).catch(() => undefined);
    if (plans.size > 10_000) plans.clear();
    plans.set(organizationId, { until: at + PLAN_CACHE_MS, limit });
    return limit;
  };
  return {
    async hit(organizationId) {
      const limit = await cachedLimit(organizationId);
      if (!limit) return undefined;
      const windowMs = limit.rate.windowSeconds * 1000;
      const at = now().getTime();
      const window = Math.floor(at / windowMs);
      const key = `rl:org:${limit.contractId}:${limit.rate.windowSeconds}:${window}`;
      const count = await store.hit(key, limit.rate.windowSeconds);
      if (count <= limit.rate.limit) return undefined;
      // RFC 9110 §10.2.3: delay-seconds, a whole number; never 0, which would invite a retry storm.
      return Math.max(1, Math.ceil(((window + 1) * windowMs - at) / 1000));
    },
  };
}
