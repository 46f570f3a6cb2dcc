import { newId } from '../../lib/ids.js';
import { createPollLoop } from '../../lib/poll-loop.js';
import type { BackchannelLogout, LogoutQueue } from '../ports/sessions.js';
import { retryDelayMs } from '../webhooks/backoff.js';

/** What to send; the queue adds an id and counts attempts. */
export type LogoutNotice = Pick<BackchannelLogout, 'clientId' | 'accountId' | 'sid'>;

/**
 * Sends one logout token. Resolves `sent`, or `skipped` when the application no longer wants one
 * (no URI, or it requires a sid this logout lacks); throws when the application did not take it.
 */
export type SendLogout = (logout: BackchannelLogout) => Promise<'sent' | 'skipped'>;

export interface LogoutDeliveryDeps {
  queue: LogoutQueue;
  send: SendLogout;
  now: () => Date;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  /** How long to wait between looks when nothing is due. */
  pollMs: number;
  /** Attempts before giving up (default 12: the webhook backoff, about 4 hours). */
  maxAttempts?: number;
  /** A claimed logout goes back to the queue if its process dies before settling it. */
  leaseMs?: number;
}

const BATCH = 20;

/**
 * Back-channel logouts (OIDC Back-Channel Logout 1.0 §2.5) delivered at least once: each waits in
 * the shared queue, an attempt that fails (an error status, no answer) is tried again on the
 * webhook backoff (5 s doubling to an hour), so an application that was down hears of the logout
 * when it is back. Any instance delivers; a claim leases a logout to one of them.
 */
export function createLogoutDelivery(deps: LogoutDeliveryDeps) {
  const maxAttempts = deps.maxAttempts ?? 12;
  const leaseMs = deps.leaseMs ?? 30_000;

  const schedule = (notice: LogoutNotice, attempts: number) =>
    deps.queue.enqueue(
      { id: newId('bcl'), ...notice, attempts },
      new Date(deps.now().getTime() + retryDelayMs(attempts)),
    );

  async function deliver(logout: BackchannelLogout): Promise<void> {
    const attempts = logout.attempts + 1;
    try {
      const outcome = await deps.send(logout);
      deps.log.info(
        { event: `backchannel_logout.${outcome}`, clientId: logout.clientId, attempts },
        'back-channel logout',
      );
    } catch (error) {
      const last = attempts >= maxAttempts;
      deps.log.warn(
        {
          event: last ? 'backchannel_logout.abandoned' : 'backchannel_logout.failed',
          clientId: logout.clientId,
          attempts,
          err: error,
        },
        'back-channel logout failed',
      );
      if (!last) {
        await deps.queue.enqueue(
          { ...logout, attempts },
          new Date(deps.now().getTime() + retryDelayMs(attempts)),
        );
        return;
      }
    }
    await deps.queue.complete(logout.id);
  }

  const runOnce = async (): Promise<number> => {
    const at = deps.now();
    const claimed = await deps.queue.claimDue(at, new Date(at.getTime() + leaseMs), BATCH);
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  };

  const loop = createPollLoop({
    round: runOnce,
    pollMs: deps.pollMs,
    onError: (error) => deps.log.warn({ err: error }, 'could not claim back-channel logouts'),
  });

  return {
    /** Queues a first attempt at each, due now, and wakes the loop. */
    async notify(notices: readonly LogoutNotice[]): Promise<void> {
      for (const notice of notices) await schedule(notice, 0);
      if (notices.length > 0) loop.wake();
    },
    /** A first attempt made elsewhere (oidc-provider's own, at RP-initiated logout) failed. */
    retry: (notice: LogoutNotice) => schedule(notice, 1),
    runOnce,
    start: loop.start,
    stop: loop.stop,
  };
}
export type LogoutDelivery = ReturnType<typeof createLogoutDelivery>;
