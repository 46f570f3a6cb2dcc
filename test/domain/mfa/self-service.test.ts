import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ForbiddenError, NotFoundError } from '../../../src/domain/errors.js';
import { createFactorSelfService } from '../../../src/domain/mfa/self-service.js';
import type { MfaFactorType } from '../../../src/domain/ports/mfa.js';
import { createTestUser, useTestDatabase } from './mfa-fixtures.js';

describe('factor self-service (PostgreSQL)', () => {
  const database = useTestDatabase();
  const service = (required: boolean) =>
    createFactorSelfService(database(), {
      requirement: async () => ({ required }),
      recoveryCodes: { generate: async () => [] },
    });
  const addFactor = async (userId: string, type: MfaFactorType, confirmed = true) =>
    (
      await database().mfaFactors.create({
        id: `mfa_${randomUUID()}`,
        userId,
        type,
        ...(type === 'webauthn' ? { credentialId: randomUUID(), publicKey: 'pk' } : {}),
        ...(confirmed ? { confirmedAt: new Date() } : {}),
      })
    ).id;

  it('lists confirmed factors only', async () => {
    const user = await createTestUser(database());
    const confirmed = await addFactor(user.id, 'totp');
    await addFactor(user.id, 'totp', false);
    const listed = await service(false).list(user.id);
    expect(listed.factors.map((factor) => factor.id)).toEqual([confirmed]);
  });

  it('removes one of two factors under a requirement, but never the last usable one', async () => {
    const user = await createTestUser(database());
    const app = await addFactor(user.id, 'totp');
    const key = await addFactor(user.id, 'webauthn');
    const pending = await addFactor(user.id, 'totp', false);
    await service(true).remove(user.id, app);
    // An unfinished enrolment is no way to sign in: it does not let the passkey go.
    await expect(service(true).remove(user.id, key)).rejects.toBeInstanceOf(ForbiddenError);
    await service(true).remove(user.id, pending);
    await service(false).remove(user.id, key);
    expect((await service(false).list(user.id)).factors).toEqual([]);
  });

  it('never lets two concurrent removals take the last two factors', async () => {
    const user = await createTestUser(database());
    const app = await addFactor(user.id, 'totp');
    const key = await addFactor(user.id, 'webauthn');
    const outcomes = await Promise.allSettled([
      service(true).remove(user.id, app),
      service(true).remove(user.id, key),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: expect.any(ForbiddenError),
    });
    expect((await service(false).list(user.id)).factors).toHaveLength(1);
  });

  it("treats another user's factor as missing", async () => {
    const owner = await createTestUser(database());
    const other = await createTestUser(database());
    const factor = await addFactor(owner.id, 'totp');
    await expect(service(false).remove(other.id, factor)).rejects.toBeInstanceOf(NotFoundError);
    expect(await database().mfaFactors.find(factor)).toBeDefined();
  });
});
