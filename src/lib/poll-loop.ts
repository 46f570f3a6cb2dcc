/**
 * A background worker's loop: run a round, go straight on while a round found work, otherwise
 * wait `pollMs` (or until woken). Stopping aborts `signal` for work in flight and waits for the
 * round to end. The wait does not keep the process alive: the server does.
 */
export interface PollLoop {
  start(): void;
  stop(): Promise<void>;
  /** Ends the current wait, for work that has just been queued. */
  wake(): void;
  /** Aborted when the loop is stopping. */
  readonly signal: AbortSignal;
}

export function createPollLoop(options: {
  /** One round; resolves with how many items it claimed (0: nothing due). */
  round: () => Promise<number>;
  pollMs: number;
  /** A round that threw; the loop goes on after the usual wait. */
  onError: (error: unknown) => void;
}): PollLoop {
  let stopping = new AbortController();
  let loop: Promise<void> | undefined;
  let endWait: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      endWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    while (!stopping.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await options.round();
      } catch (error) {
        options.onError(error);
      }
      if (claimed === 0 && !stopping.signal.aborted) await pause(options.pollMs);
    }
  };

  return {
    start() {
      if (loop) return;
      stopping = new AbortController();
      loop = run();
    },
    async stop() {
      stopping.abort();
      endWait?.();
      await loop;
      loop = undefined;
    },
    wake: () => endWait?.(),
    get signal() {
      return stopping.signal;
    },
  };
}
