import { describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import {
  ACCOUNT_BACKOFF,
  accountSubject,
  accountSubjectsOf,
  addressSubject,
  backoffSeconds,
  createSignInThrottle,
  emailAccount,
  retryMessage,
  userAccount,
} from '../../../src/domain/accounts/sign-in-throttle.js';

function throttleWithClock() {
  let time = Date.parse('2026-11-30T10:00:00Z');
  const throttle = createSignInThrottle(createMemoryEphemeralStore(), () => new Date(time));
  return { throttle, advance: (seconds: number) => void (time += seconds * 1000) };
}

describe('sign-in backoff', () => {
  it('lets five failures pass, then doubles the wait from 30 seconds up to 15 minutes', () => {
    const waits = Array.from({ length: 12 }, (_, index) => backoffSeconds(index + 1, ACCOUNT_BACKOFF));
    expect(waits).toEqual([0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]);
  });

  it('refuses an account while it waits, and lets it try again when the wait is over', async () => {
    const { throttle, advance } = throttleWithClock();
    const account = [accountSubject(emailAccount('jane@acme.test'))];
    for (let failure = 1; failure <= 5; failure += 1) {
      expect((await throttle.fail(account)).retryAfterSeconds).toBe(0);
      expect(await throttle.check(account)).toEqual({ allowed: true });
    }
    expect(await throttle.fail(account)).toEqual({ retryAfterSeconds: 30, lockedOut: [] });
    expect(await throttle.check(account)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    advance(29);
    expect(await throttle.check(account)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    advance(1);
    expect(await throttle.check(account)).toEqual({ allowed: true });
    // The count remembers the run: the next failure waits twice as long.
    expect((await throttle.fail(account)).retryAfterSeconds).toBe(60);
  });

  it('reports the lockout once, when the wait first reaches its ceiling', async () => {
    const { throttle, advance } = throttleWithClock();
    const account = [accountSubject(userAccount('usr_1'))];
    const locked: string[][] = [];
    for (let failure = 1; failure <= 12; failure += 1) {
      locked.push((await throttle.fail(account)).lockedOut);
      advance(900);
    }
    expect(locked.map((keys, index) => (keys.length > 0 ? index + 1 : 0)).filter(Boolean)).toEqual([11]);
  });

  it('forgets the run after a success, and an unlock lifts a wait at once', async () => {
    const { throttle } = throttleWithClock();
    const subject = accountSubject(emailAccount('sam@acme.test'));
    for (let failure = 1; failure <= 6; failure += 1) await throttle.fail([subject]);
    expect((await throttle.check([subject])).allowed).toBe(false);
    await throttle.unlock([subject]);
    expect(await throttle.check([subject])).toEqual({ allowed: true });
    for (let failure = 1; failure <= 5; failure += 1) await throttle.fail([subject]);
    await throttle.succeed(subject);
    expect((await throttle.fail([subject])).retryAfterSeconds).toBe(0);
  });

  it('counts an address across accounts, with more free failures, and keeps it after a success', async () => {
    const { throttle } = throttleWithClock();
    const address = addressSubject('203.0.113.9');
    for (let account = 1; account <= 30; account += 1) {
      const outcome = await throttle.fail([accountSubject(emailAccount(`u${account}@acme.test`)), address]);
      expect(outcome.retryAfterSeconds).toBe(0);
    }
    await throttle.succeed(accountSubject(emailAccount('u1@acme.test')));
    const next = await throttle.fail([accountSubject(emailAccount('u31@acme.test')), address]);
    expect(next.retryAfterSeconds).toBe(30);
    expect(await throttle.check([accountSubject(emailAccount('other@acme.test')), address])).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
  });

  it('names both keys of an account for an unlock, and says how long to wait in words', () => {
    expect(accountSubjectsOf({ id: 'usr_1', email: 'jane@acme.test' }).map((subject) => subject.key)).toEqual(
      ['account:email:jane@acme.test', 'account:user:usr_1'],
    );
    expect(retryMessage(1)).toBe('Too many sign-in attempts. Try again in 1 second.');
    expect(retryMessage(30)).toBe('Too many sign-in attempts. Try again in 30 seconds.');
    expect(retryMessage(900)).toBe('Too many sign-in attempts. Try again in 15 minutes.');
  });
});
