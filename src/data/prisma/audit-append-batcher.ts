import type { AuditEntry } from '../../domain/ports/tenancy.js';

interface Batch {
  entries: AuditEntry[];
  settle: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

/**
 * Group commit for appends made outside a transaction. Every writer of a chain waits for its head's
 * row lock, and a transaction waiting there holds a pooled connection: a burst of sign-ins to one
 * organization could take the whole pool. Here one write per chain is in flight per process; the
 * records that arrive meanwhile go together in the next one, and each caller's promise settles
 * when its records are committed. The first write waits for the current turn of the event loop to
 * end, so the responses finishing in the same turn (many, under load) share it too.
 */
export function createAppendBatcher(
  write: (chainKey: string, entries: readonly AuditEntry[]) => Promise<void>,
) {
  const waiting = new Map<string, Batch>();
  const writing = new Set<string>();

  const drain = async (chainKey: string): Promise<void> => {
    for (let batch = waiting.get(chainKey); batch; batch = waiting.get(chainKey)) {
      waiting.delete(chainKey);
      try {
        await write(chainKey, batch.entries);
        for (const { resolve } of batch.settle) resolve();
      } catch (error) {
        for (const { reject } of batch.settle) reject(error);
      }
    }
    writing.delete(chainKey);
  };

  return {
    /** Resolves once the entries (all of chain `chainKey`) are committed, in the order given. */
    append(chainKey: string, entries: readonly AuditEntry[]): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const batch = waiting.get(chainKey) ?? { entries: [], settle: [] };
        batch.entries.push(...entries);
        batch.settle.push({ resolve, reject });
        waiting.set(chainKey, batch);
        if (!writing.has(chainKey)) {
          writing.add(chainKey);
          setImmediate(() => void drain(chainKey));
        }
      });
    },
  };
}
