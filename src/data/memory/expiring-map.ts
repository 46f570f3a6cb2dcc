/** Milliseconds since the epoch. */
export type Clock = () => number;

interface Entry<V> {
  value: V;
  /** undefined: never expires */
  expiresAt: number | undefined;
}

/**
 * A Map whose entries vanish at their deadline. Expired entries are dropped when touched, and a
 * sweep at most once per `sweepEveryMs` of clock time reclaims the ones nobody asks for again.
 */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #now: Clock;
  readonly #sweepEveryMs: number;
  #lastSweep: number;

  constructor(now: Clock, sweepEveryMs = 60_000) {
    this.#now = now;
    this.#sweepEveryMs = sweepEveryMs;
    this.#lastSweep = now();
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#expired(entry)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** ttlMs undefined keeps the entry until deleted. */
  set(key: string, value: V, ttlMs: number | undefined): void {
    this.#maybeSweep();
    this.#entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.#now() + ttlMs });
  }

  /** Replaces the value but keeps the deadline; false when the key is absent or expired. */
  replace(key: string, value: V): boolean {
    const entry = this.#entries.get(key);
    if (!entry || this.#expired(entry)) return false;
    entry.value = value;
    return true;
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Live entries only. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, entry] of this.#entries) {
      if (!this.#expired(entry)) yield [key, entry.value];
    }
  }

  #expired(entry: Entry<V>): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.#now();
  }

  #maybeSweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < this.#sweepEveryMs) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) {
      if (this.#expired(entry)) this.#entries.delete(key);
    }
  }
}
