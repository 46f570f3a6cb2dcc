import type { EphemeralStore } from '../ports/ephemeral-store.js';

/**
 * How failures on one subject slow down the next attempt: a few are free (people mistype), then
 * each failure doubles the wait, up to a ceiling. Counts are forgotten `memorySeconds` after the
 * first failure of a run, or at once after a success on the account.
 */
export interface BackoffPolicy {
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  memorySeconds: number;
}

/**
 * NIST SP 800-63B §5.2.2 asks for at most 100 consecutive failures per account; doubling from
 * 30 s after 5 free ones reaches the 15-minute ceiling at the 10th, so a guesser gets about a
 * hundred tries a day while the owner who mistyped five times waits half a minute.
 */
export const ACCOUNT_BACKOFF: BackoffPolicy = {
  freeFailures: 5,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  memorySeconds: 24 * 3600,
};

/**
 * One address trying many accounts (credential stuffing): more free failures, since offices and
 * mobile carriers put many people behind one address.
 */
export const ADDRESS_BACKOFF: BackoffPolicy = {
  freeFailures: 30,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  memorySeconds: 3600,
};

/** The wait after `failures` consecutive failures, in seconds (0 while they are free). */
export function backoffSeconds(failures: number, policy: BackoffPolicy): number {
  if (failures <= policy.freeFailures) return 0;
  const doublings = failures - policy.freeFailures - 1;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** Math.min(doublings, 30));
}

/** Who is guessing: the account (by email or user id) and the client address. */
export interface ThrottleSubject {
  key: string;
  policy: BackoffPolicy;
}

/** Before the user is known (passwords, sign-in codes): the normalised email is the account. */
export const emailAccount = (email: string) => `email:${email}`;
/** Second factors: the user is known. */
export const userAccount = (userId: string) => `user:${userId}`;
/** Both keys an account's failures may be counted under. */
export const accountSubjectsOf = (user: { id: string; email: string }): ThrottleSubject[] => [
  accountSubject(emailAccount(user.email)),
  accountSubject(userAccount(user.id)),
];

export const accountSubject = (account: string): ThrottleSubject => ({
  key: `account:${account}`,
  policy: ACCOUNT_BACKOFF,
});
export const addressSubject = (ip: string): ThrottleSubject => ({
  key: `address:${ip}`,
  policy: ADDRESS_BACKOFF,
});

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface FailureOutcome {
  retryAfterSeconds: number;
  /** Subjects whose wait reached the ceiling with this failure: a lockout, to record and notify. */
  lockedOut: string[];
}

const failuresKey = (key: string) => `throttle:failures:${key}`;
const untilKey = (key: string) => `throttle:until:${key}`;

/**
 * Backoff on failed sign-in attempts (passwords, second factors, sign-in codes), per account and
 * per address, in the shared store so every instance enforces the same wait. Checked before an
 * attempt is evaluated: a waiting subject is refused without its guess being tried.
 */
export function createSignInThrottle(store: EphemeralStore, now: () => Date = () => new Date()) {
  const waitOf = async (subject: ThrottleSubject): Promise<number> => {
    const until = Number(await store.get(untilKey(subject.key)));
    const remaining = Number.isFinite(until) ? until - now().getTime() : 0;
    return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
  };

  return {
    async check(subjects: readonly ThrottleSubject[]): Promise<ThrottleVerdict> {
      const waits = await Promise.all(subjects.map(waitOf));
      const longest = Math.max(0, ...waits);
      return longest > 0 ? { allowed: false, retryAfterSeconds: longest } : { allowed: true };
    },

    async fail(subjects: readonly ThrottleSubject[]): Promise<FailureOutcome> {
      const outcome: FailureOutcome = { retryAfterSeconds: 0, lockedOut: [] };
      for (const subject of subjects) {
        const failures = await store.hit(failuresKey(subject.key), subject.policy.memorySeconds);
        const delay = backoffSeconds(failures, subject.policy);
        if (delay === 0) continue;
        const until = now().getTime() + delay * 1000;
        // The store forgets the wait a little after it ends; the clock above decides when it does.
        await store.put(untilKey(subject.key), String(until), delay + 60);
        outcome.retryAfterSeconds = Math.max(outcome.retryAfterSeconds, delay);
        if (
          delay === subject.policy.maxDelaySeconds &&
          backoffSeconds(failures - 1, subject.policy) < delay
        ) {
          outcome.lockedOut.push(subject.key);
        }
      }
      return outcome;
    },

    /** A success on the account ends its run of failures (the address keeps its count). */
    async succeed(account: ThrottleSubject): Promise<void> {
      await Promise.all([store.delete(failuresKey(account.key)), store.delete(untilKey(account.key))]);
    },

    /** The failures now counted against each subject (risk-based sign-in reads them: domain/risk). */
    async failures(subjects: readonly ThrottleSubject[]): Promise<number[]> {
      const counts = await Promise.all(subjects.map((subject) => store.get(failuresKey(subject.key))));
      return counts.map((count) => Number(count ?? 0) || 0);
    },

    /** An administrator lifts the wait on the account's subjects (e.g. after a lockout). */
    async unlock(subjects: readonly ThrottleSubject[]): Promise<void> {
      await Promise.all(
        subjects.flatMap((subject) => [
          store.delete(failuresKey(subject.key)),
          store.delete(untilKey(subject.key)),
        ]),
      );
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

/** "Try again in 2 minutes": what a waiting person reads. */
export function retryMessage(seconds: number): string {
  const when =
    seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many sign-in attempts. Try again in ${when}.`;
}
