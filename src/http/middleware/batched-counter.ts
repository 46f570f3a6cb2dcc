import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';

export const WINDOW_SECONDS = 60;
export const currentWindow = (now: () => number = Date.now) => Math.floor(now() / 1000 / WINDOW_SECONDS);

/** How long hits wait in process before they go to the shared store in one INCRBY per key. */
const FLUSH_MS = 100;

/**
 * A fixed-window counter shared through the store, written in batches. A request's count is the
 * last total the store returned plus this process's hits not yet sent, so the limit holds within
 * one batch per instance, and the store sees about ten writes a second per key instead of one
 * per request.
 */
export function createBatchedCounter(store: EphemeralStore, name: string, now: () => number = Date.now) {
  let window = currentWindow(now);
  let pending = new Map<string, number>();
  let seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let onError: (error: unknown) => void = () => {};

  const roll = () => {
    const current = currentWindow(now);
    if (current === window) return;
    window = current;
    pending = new Map();
    seen = new Map();
  };

  const flush = () => {
    timer = undefined;
    const batch = pending;
    const batchWindow = window;
    pending = new Map();
    for (const [key, amount] of batch) {
      store.hit(`rl:${name}:${key}:${batchWindow}`, WINDOW_SECONDS, amount).then((total) => {
        if (window === batchWindow) seen.set(key, Math.max(total, seen.get(key) ?? 0));
      }, onError);
    }
  };

  return {
    /** Counts one hit for `key`; returns its estimated total in the current window. */
    add(key: string, reportError: (error: unknown) => void): number {
      roll();
      onError = reportError;
      const unsent = (pending.get(key) ?? 0) + 1;
      pending.set(key, unsent);
      if (!timer) {
        timer = setTimeout(flush, FLUSH_MS);
        timer.unref();
      }
      return (seen.get(key) ?? 0) + unsent;
    },
  };
}
