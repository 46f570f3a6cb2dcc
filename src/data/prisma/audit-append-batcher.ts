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

/** How long a record nobody waits for may wait for others to go with it. */
export const LATER_MS = 10;

/**
 * Group commit for appends made outside a transaction. Every writer of a chain waits for its head's
 * row lock, and a transaction waiting there holds a pooled connection: a burst of sign-ins to one
 * organization could take the whole pool. Here one write is in flight per process, for every
 * chain at once; the records that arrive meanwhile, whatever their chain, go together in the next
 * one, and each caller's promise settles when its records are committed. A round a caller waits
 * for starts once the current turn of the event loop ends, so the responses finishing in the same
 * turn (many, under load) share it too. Records nobody waits for (`later`: every token issue's)
 * go with the next such round, or LATER_MS after they came: under load that is one statement for
 * many responses instead of one every few, and the database's time goes to the tokens.
 */
export function createAppendBatcher(write: ChainsWriter, options: { laterMs?: number } = {}) {
  const laterMs = options.laterMs ?? LATER_MS;
  let waiting = new Map<string, Batch>();
  let writing = false;
  /** Whether a caller waits for something in `waiting`. */
  let awaited = false;
  let timer: NodeJS.Timeout | undefined;
  const idle: Array<() => void> = [];

  const writeRound = async (round: Map<string, Batch>): Promise<void> => {
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
  };

  const drain = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    do {
      const round = waiting;
      waiting = new Map();
      awaited = false;
      await writeRound(round);
      // What came meanwhile goes at once only if someone waits for it.
    } while (awaited);
    writing = false;
    schedule();
  };

  function schedule(): void {
    if (writing) return;
    if (waiting.size === 0) {
      for (const resolve of idle.splice(0)) resolve();
      return;
    }
    if (awaited) {
      writing = true;
      setImmediate(() => void drain());
    } else {
      timer ??= setTimeout(() => {
        timer = undefined;
        if (writing) return;
        writing = true;
        void drain();
      }, laterMs);
    }
  }

  return {
    /**
     * Resolves once the entries (all of chain `chainKey`) are committed, in the order given.
     * `later`: nobody waits for them, so they may wait up to LATER_MS (`laterMs`) for company.
     */
    append(
      chainKey: string,
      entries: readonly AuditEntry[],
      options: { later?: boolean } = {},
    ): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const batch = waiting.get(chainKey) ?? { entries: [], settle: [] };
        batch.entries.push(...entries);
        batch.settle.push({ resolve, reject });
        waiting.set(chainKey, batch);
        if (!options.later) awaited = true;
        schedule();
      });
    },
    /** Writes everything waiting now (shutdown); resolves once nothing is waiting or in flight. */
    flush(): Promise<void> {
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        if (waiting.size > 0) awaited = true;
        schedule();
      });
    },
  };
}
