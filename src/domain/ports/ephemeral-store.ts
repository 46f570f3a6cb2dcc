/**
 * Short-lived shared state that is not an oidc-provider model: rate-limit counters, single-use
 * markers (replay caches), small values with a TTL. Redis in production, a map in-process for the
 * embedded default. Every method is atomic across processes sharing the store.
 */
export interface EphemeralStore {
  /**
   * Adds `amount` (default 1) to the counter for `key` in its fixed window, which the first hit
   * starts; returns the new count.
   */
  hit(key: string, windowSeconds: number, amount?: number): Promise<number>;
  /** Stores the value only if the key is absent; true when stored (single-use semantics). */
  putIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Stores the value whether or not the key exists, replacing both the value and its TTL. */
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Reads and deletes in one step; undefined when absent. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Throws when the store cannot be reached (used by /readyz). */
  ping(): Promise<void>;
}
