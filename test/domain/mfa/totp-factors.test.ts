import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { generate } from 'otplib';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { createTotpFactors } from '../../../src/domain/mfa/totp-factors.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createTestUser, movableClock, useTestDatabase } from './mfa-fixtures.js';
import { enrolledFactors } from '../../../src/domain/mfa/enrolled-factors.js';

/** 10 s into a 30 s step, so moving by whole steps never lands on a boundary. */
const START = new Date('2026-06-01T09:00:10Z');
const STEP = 30;

describe('TOTP factors (PostgreSQL)', () => {
  const database = useTestDatabase();
  let clock: ReturnType<typeof movableClock>;
  let totp: ReturnType<typeof createTotpFactors>;

  beforeEach(() => {
    clock = movableClock(START);
    totp = createTotpFactors(database(), {
      envelope: createEnvelope(randomBytes(32)),
      store: createMemoryEphemeralStore({ now: clock.nowMs }),
      now: clock.now,
      issuerName: 'Gatehouse',
    });
  });

  /** The code an authenticator app shows `offsetSteps` steps away from the server's clock. */
  const codeAt = (secret: string, offsetSteps = 0) =>
    generate({ secret, epoch: Math.floor(clock.nowMs() / 1000) + offsetSteps * STEP });

  async function enrolled() {
    const user = await createTestUser(database());
    const enrolment = await totp.beginEnrolment(user.id, user.email, 'Phone');
    expect(await totp.confirmEnrolment(user.id, enrolment.factorId, await codeAt(enrolment.secret))).toBe(
      true,
    );
    // Sign-in starts past the drift window of the confirming code's (spent) step.
    clock.advanceSeconds(2 * STEP);
    return { user, ...enrolment };
  }

  it('enrols: an unconfirmed factor, an otpauth URL for the app, confirmed by the first code', async () => {
    const user = await createTestUser(database());
    const { factorId, secret, otpauthUrl } = await totp.beginEnrolment(user.id, user.email, 'Phone');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/Gatehouse:${user.email}`);
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('Gatehouse');
    expect((await enrolledFactors(database())(user.id)).totp).toBe(false);

    expect(await totp.confirmEnrolment(user.id, factorId, await codeAt(secret))).toBe(true);
    expect((await enrolledFactors(database())(user.id)).totp).toBe(true);
    const factor = await database().mfaFactors.find(factorId);
    expect(factor).toMatchObject({ type: 'totp', label: 'Phone', confirmedAt: START, lastUsedAt: START });
  });

  it('keeps the secret sealed at rest, bound to its row', async () => {
    const user = await createTestUser(database());
    const { factorId, secret } = await totp.beginEnrolment(user.id, user.email);
    const row = await database().mfaFactors.find(factorId);
    expect(row?.secretCiphertext).toMatch(/^v1\./);
    expect(row?.secretCiphertext).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('refuses a wrong code, and anything but six digits', async () => {
    const user = await createTestUser(database());
    const { factorId, secret } = await totp.beginEnrolment(user.id, user.email);
    const right = await codeAt(secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const code of [
      wrong,
      '',
      '12345',
      '1234567',
      'abcdef',
      ` ${right}`,
      `${right.slice(0, 3)} ${right.slice(3)}`,
    ]) {
      expect(await totp.confirmEnrolment(user.id, factorId, code)).toBe(false);
    }
    expect((await enrolledFactors(database())(user.id)).totp).toBe(false);
    expect(await totp.confirmEnrolment(user.id, factorId, right)).toBe(true);
  });

  it('verifies a code once: the same step is refused on replay, the next step accepted', async () => {
    const { user, factorId, secret } = await enrolled();
    const code = await codeAt(secret);
    expect(await totp.verify(user.id, code)).toBe(true);
    expect(await totp.verify(user.id, code)).toBe(false);
    clock.advanceSeconds(STEP);
    expect(await totp.verify(user.id, code)).toBe(false);
    expect(await totp.verify(user.id, await codeAt(secret))).toBe(true);
    expect((await database().mfaFactors.find(factorId))?.lastUsedAt).toEqual(clock.now());
  });

  it('refuses the code that confirmed the enrolment at sign-in', async () => {
    const user = await createTestUser(database());
    const { factorId, secret } = await totp.beginEnrolment(user.id, user.email);
    const code = await codeAt(secret);
    expect(await totp.confirmEnrolment(user.id, factorId, code)).toBe(true);
    expect(await totp.verify(user.id, code)).toBe(false);
  });

  it('accepts one step of clock drift either way, not two', async () => {
    const { user, secret } = await enrolled();
    expect(await totp.verify(user.id, await codeAt(secret, -2))).toBe(false);
    expect(await totp.verify(user.id, await codeAt(secret, 2))).toBe(false);
    expect(await totp.verify(user.id, await codeAt(secret, -1))).toBe(true);
    expect(await totp.verify(user.id, await codeAt(secret, 1))).toBe(true);
  });

  it('never verifies with an unconfirmed factor', async () => {
    const user = await createTestUser(database());
    const { secret } = await totp.beginEnrolment(user.id, user.email);
    expect(await totp.verify(user.id, await codeAt(secret))).toBe(false);
  });

  it('refuses to confirm another user’s factor, or one confirmed already', async () => {
    const owner = await createTestUser(database());
    const intruder = await createTestUser(database());
    const { factorId, secret } = await totp.beginEnrolment(owner.id, owner.email);
    expect(await totp.confirmEnrolment(intruder.id, factorId, await codeAt(secret))).toBe(false);
    expect((await enrolledFactors(database())(intruder.id)).totp).toBe(false);
    expect(await totp.confirmEnrolment(owner.id, factorId, await codeAt(secret))).toBe(true);
    clock.advanceSeconds(STEP);
    expect(await totp.confirmEnrolment(owner.id, factorId, await codeAt(secret))).toBe(false);
    expect(await totp.confirmEnrolment(owner.id, 'mfa_missing', await codeAt(secret))).toBe(false);
  });

  it('replaces an abandoned enrolment with the next one', async () => {
    const user = await createTestUser(database());
    const abandoned = await totp.beginEnrolment(user.id, user.email);
    const current = await totp.beginEnrolment(user.id, user.email);
    expect(await totp.confirmEnrolment(user.id, abandoned.factorId, await codeAt(abandoned.secret))).toBe(
      false,
    );
    expect(await totp.confirmEnrolment(user.id, current.factorId, await codeAt(current.secret))).toBe(true);
    expect((await database().mfaFactors.listFor(user.id)).map((factor) => factor.id)).toEqual([
      current.factorId,
    ]);
  });

  it('verifies against any of the user’s confirmed factors, each with its own replay window', async () => {
    const { user, secret } = await enrolled();
    const second = await totp.beginEnrolment(user.id, user.email, 'Tablet');
    expect(await totp.confirmEnrolment(user.id, second.factorId, await codeAt(second.secret))).toBe(true);
    clock.advanceSeconds(STEP);
    expect(await totp.verify(user.id, await codeAt(second.secret))).toBe(true);
    expect(await totp.verify(user.id, await codeAt(secret))).toBe(true);
  });
});
