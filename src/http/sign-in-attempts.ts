import type { Context } from 'koa';
import {
  accountSubject,
  addressSubject,
  retryMessage,
  type SignInThrottle,
  type ThrottleSubject,
} from '../domain/accounts/sign-in-throttle.js';
import type { FailedAttempt } from '../domain/audit/sign-in-audit.js';
import type { LockedAttempt } from '../domain/mfa/factor-audit.js';

export interface SignInAttemptsDeps {
  throttle: SignInThrottle;
  /** Records the lockout for audit and tells the account's owner; only for accounts that exist. */
  reportLockout(userId: string, attempt: LockedAttempt): Promise<void>;
  /** Records the wrong guess in the audit log (domain/audit/sign-in-audit.ts). */
  recordFailure?(failure: FailedAttempt): Promise<void>;
}

/** One guess at a password or code: whose account, and (when it exists) which user it is. */
export interface Attempt {
  /** The account's key: `email:<normalised>` before the user is known, `user:<id>` after. */
  account: string;
  /** The user to report a lockout to; looked up only when one happens. */
  owner(): Promise<string | undefined>;
  kind: LockedAttempt;
}

/**
 * The backoff on passwords and codes (sign-in-throttle.ts) as the sign-in pages use it: refuse
 * a waiting account or address before its guess is tried, count failures, report lockouts.
 */
export function createSignInAttempts(deps: SignInAttemptsDeps) {
  const subjects = (ctx: Context, attempt: Attempt): ThrottleSubject[] => [
    accountSubject(attempt.account),
    addressSubject(ctx.ip),
  ];

  return {
    /**
     * Undefined when the attempt may go on; otherwise the message to show, with 429 and
     * Retry-After already set on the response.
     */
    async refusal(ctx: Context, attempt: Attempt): Promise<string | undefined> {
      const verdict = await deps.throttle.check(subjects(ctx, attempt));
      if (verdict.allowed) return undefined;
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      ctx.status = 429;
      ctx.state.log?.info(
        { event: 'sign_in.throttled', kind: attempt.kind },
        'attempt refused while waiting',
      );
      return retryMessage(verdict.retryAfterSeconds);
    },

    /** Counts a wrong guess; the message to add when the next attempt must wait. */
    async failed(ctx: Context, attempt: Attempt): Promise<string | undefined> {
      const outcome = await deps.throttle.fail(subjects(ctx, attempt));
      const locked = outcome.lockedOut.includes(accountSubject(attempt.account).key);
      const owner = locked || deps.recordFailure ? await attempt.owner() : undefined;
      // Best effort, like the lockout report: the refusal page must not become a server error.
      await deps
        .recordFailure?.({ kind: attempt.kind, account: attempt.account, userId: owner, ip: ctx.ip })
        .catch((error: unknown) => {
          ctx.state.log?.error({ event: 'audit.failed', err: error }, 'failed sign-in not recorded');
        });
      const userId = locked ? owner : undefined;
      if (userId) {
        ctx.state.log?.warn({ event: 'sign_in.locked', userId, kind: attempt.kind }, 'account locked');
        // Best effort: a notice that cannot be sent must not turn a refusal into a server error.
        await deps.reportLockout(userId, attempt.kind).catch((error: unknown) => {
          ctx.state.log?.warn({ event: 'lockout.report_failed', userId, err: error }, 'lockout not reported');
        });
      }
      if (outcome.lockedOut.includes(addressSubject(ctx.ip).key)) {
        ctx.state.log?.warn({ event: 'sign_in.address_locked', ip: ctx.ip }, 'address locked');
      }
      return outcome.retryAfterSeconds > 0 ? retryMessage(outcome.retryAfterSeconds) : undefined;
    },

    /** The right password or code: the account's run of failures ends. */
    succeeded(attempt: Pick<Attempt, 'account'>): Promise<void> {
      return deps.throttle.succeed(accountSubject(attempt.account));
    },
  };
}
export type SignInAttempts = ReturnType<typeof createSignInAttempts>;
