import type { AuditEntry } from '../../domain/ports/tenancy.js';

interface Batch {
  entries: AuditEntry[];
  settle: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Writes a round of chains' records; answers the chains that could not be committed, with why.
 * The chains of one round are independent: one failing leaves the others written.
 */
export type ChainsWriter = (
  chains: ReadonlyMap<string, readonly AuditEntry[]>,
) => Promise<Map<string, unknown>>;

/**
 * Group commit for appends made outside a transaction. Every writer of a chain waits for its head's
 * row lock, and a transaction waiting there holds a pooled connection: a burst of sign-ins to one
 * organization could take the whole pool. Here one write is in flight per process, for every
 * chain at once; the records that arrive meanwhile, whatever their chain, go together in the next
 * one, and each caller's promise settles when its records are committed. The first write waits
 * for the current turn of the event loop to end, so the responses finishing in the same turn
 * (many, under load) share it too.
 */
export function createAppendBatcher(write: ChainsWriter) {
  let waiting = new Map<string, Batch>();
  let writing = false;

  const drain = async (): Promise<void> => {
    while (waiting.size > 0) {
      const round = waiting;
      waiting = new Map();
      let failed: Map<string, unknown>;
      try {
        failed = await write(new Map([...round].map(([chainKey, batch]) => [chainKey, batch.entries])));
      } catch (error) {
        failed = new Map([...round.keys()].map((chainKey) => [chainKey, error]));
      }
      for (const [chainKey, batch] of round) {
        const error = failed.get(chainKey);
        for (const { resolve, reject } of batch.settle) {
          if (failed.has(chainKey)) reject(error);
          else resolve();
        }
      }
    }
    writing = false;
  };

  return {
    /** Resolves once the entries (all of chain `chainKey`) are committed, in the order given. */
    append(chainKey: string, entries: readonly AuditEntry[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const batch = waiting.get(chainKey) ?? { entries: [], settle: [] };
        batch.entries.push(...entries);
        batch.settle.push({ resolve, reject });
        waiting.set(chainKey, batch);
        if (!writing) {
          writing = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
