import { beforeEach, describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { createWebAuthnFactors } from '../../../src/domain/mfa/webauthn-factors.js';
import { createTestUser, movableClock, useTestDatabase } from './mfa-fixtures.js';
import { softAuthenticator } from '../../support/soft-authenticator.js';
import { enrolledFactors } from '../../../src/domain/mfa/enrolled-factors.js';

const ORIGIN = 'https://id.example.com';
const START = new Date('2026-06-01T09:00:00Z');

describe('WebAuthn factors (PostgreSQL)', () => {
  const database = useTestDatabase();
  let clock: ReturnType<typeof movableClock>;
  let webauthn: ReturnType<typeof createWebAuthnFactors>;

  beforeEach(() => {
    clock = movableClock(START);
    webauthn = createWebAuthnFactors(database(), {
      store: createMemoryEphemeralStore({ now: clock.nowMs }),
      rpId: 'id.example.com',
      rpName: 'Gatehouse',
      origin: ORIGIN,
      now: clock.now,
    });
  });

  async function registered() {
    const user = await createTestUser(database());
    const key = softAuthenticator(ORIGIN);
    const options = await webauthn.registrationOptions(user);
    const result = await webauthn.verifyRegistration(user.id, key.register(options), 'YubiKey');
    expect(result).toMatchObject({ ok: true, backedUp: false });
    return { user, key };
  }
  const signCountOf = async (userId: string) => (await database().mfaFactors.listFor(userId))[0]!.signCount;

  it('registers a credential against the challenge it issued, and excludes it from the next registration', async () => {
    const { user, key } = await registered();
    const [factor] = await database().mfaFactors.listFor(user.id);
    expect(factor).toMatchObject({
      type: 'webauthn',
      label: 'YubiKey',
      credentialId: key.credentialId,
      publicKey: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      transports: ['usb', 'nfc'],
      backedUp: false,
      confirmedAt: START,
    });
    expect((await enrolledFactors(database())(user.id)).webauthn).toBe(true);
    const again = await webauthn.registrationOptions(user);
    expect(again.excludeCredentials).toEqual([
      { id: key.credentialId, type: 'public-key', transports: ['usb', 'nfc'] },
    ]);
    expect(again.authenticatorSelection).toMatchObject({
      residentKey: 'preferred',
      userVerification: 'preferred',
    });
  });

  it('uses each registration challenge once, and refuses a credential id registered already', async () => {
    const user = await createTestUser(database());
    const key = softAuthenticator(ORIGIN);
    const response = key.register(await webauthn.registrationOptions(user));
    expect((await webauthn.verifyRegistration(user.id, response)).ok).toBe(true);
    expect(await webauthn.verifyRegistration(user.id, response)).toEqual({ ok: false, reason: 'expired' });
    const other = await createTestUser(database());
    const options = await webauthn.registrationOptions(other);
    expect(await webauthn.verifyRegistration(other.id, key.register(options))).toEqual({
      ok: false,
      reason: 'exists',
    });
  });

  it('refuses a registration from another origin', async () => {
    const user = await createTestUser(database());
    const key = softAuthenticator('https://evil.example', 'id.example.com');
    const options = await webauthn.registrationOptions(user);
    expect(await webauthn.verifyRegistration(user.id, key.register(options))).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await enrolledFactors(database())(user.id)).webauthn).toBe(false);
  });

  it('verifies an assertion once, counting the use and following the backup state', async () => {
    const { user, key } = await registered();
    const options = await webauthn.authenticationOptions(user.id);
    expect(options.allowCredentials).toEqual([
      { id: key.credentialId, type: 'public-key', transports: ['usb', 'nfc'] },
    ]);
    clock.advanceSeconds(60);
    key.state.backedUp = true;
    const assertion = key.authenticate(options);
    expect(await webauthn.verifyAuthentication(user.id, assertion)).toMatchObject({
      ok: true,
      backedUp: true,
    });
    expect((await database().mfaFactors.listFor(user.id))[0]).toMatchObject({
      signCount: 1,
      backedUp: true,
      lastUsedAt: clock.now(),
    });
    // The challenge was spent: the same assertion again is a replay.
    expect(await webauthn.verifyAuthentication(user.id, assertion)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another user’s credential and an assertion from another origin', async () => {
    const { key } = await registered();
    const { user: other } = await registered();
    const options = await webauthn.authenticationOptions(other.id);
    expect(await webauthn.verifyAuthentication(other.id, key.authenticate(options))).toEqual({
      ok: false,
      reason: 'unknown_credential',
    });
    const { user, key: own } = await registered();
    const phished = own.authenticate(
      await webauthn.authenticationOptions(user.id),
      1,
      'https://evil.example',
    );
    expect(await webauthn.verifyAuthentication(user.id, phished)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a counter that did not grow (a cloned authenticator) but accepts authenticators that never count', async () => {
    const { user, key } = await registered();
    expect(
      (
        await webauthn.verifyAuthentication(
          user.id,
          key.authenticate(await webauthn.authenticationOptions(user.id), 5),
        )
      ).ok,
    ).toBe(true);
    expect(await signCountOf(user.id)).toBe(5);
    key.state.counter = 2;
    const behind = key.authenticate(await webauthn.authenticationOptions(user.id), 1);
    expect(await webauthn.verifyAuthentication(user.id, behind)).toEqual({
      ok: false,
      reason: 'counter_regressed',
    });
    expect(await signCountOf(user.id)).toBe(5);

    const { user: synced, key: passkey } = await registered();
    for (let use = 0; use < 2; use += 1) {
      const assertion = passkey.authenticate(await webauthn.authenticationOptions(synced.id), 0);
      expect((await webauthn.verifyAuthentication(synced.id, assertion)).ok).toBe(true);
    }
    expect(await signCountOf(synced.id)).toBe(0);
  });
});
