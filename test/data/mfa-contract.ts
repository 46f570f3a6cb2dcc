import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import type { NewMfaFactor } from '../../src/domain/ports/mfa.js';
import { createStoredUser } from '../support/stored-user.js';
import { openDuringSuite } from '../support/suite-database.js';

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** MFA factors and recovery codes: same on PostgreSQL and PGlite. */
export function describeMfaContract(name: string, open: () => Promise<OpenedDatabase>): void {
  describe(`MFA data on ${name}`, () => {
    let db!: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    const newUser = () => createStoredUser(db);
    const totp = (userId: string, overrides: Partial<NewMfaFactor> = {}): NewMfaFactor => ({
      id: `mfa_${randomUUID()}`,
      userId,
      type: 'totp',
      secretCiphertext: 'v1.sealed',
      ...overrides,
    });

    describe('factors', () => {
      it('creates with defaults and finds the factor', async () => {
        const user = await newUser();
        const created = await db.mfaFactors.create(totp(user.id, { label: 'Phone' }));
        expect(created).toMatchObject({
          userId: user.id,
          type: 'totp',
          label: 'Phone',
          secretCiphertext: 'v1.sealed',
          credentialId: null,
          publicKey: null,
          signCount: 0,
          transports: [],
          backedUp: false,
          confirmedAt: null,
          lastUsedAt: null,
        });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(await db.mfaFactors.find(created.id)).toEqual(created);
        expect(await db.mfaFactors.find('mfa_missing')).toBeUndefined();
      });

      it('round-trips a WebAuthn credential and refuses its id twice', async () => {
        const user = await newUser();
        const credentialId = randomUUID();
        const webauthn: NewMfaFactor = {
          id: `mfa_${randomUUID()}`,
          userId: user.id,
          type: 'webauthn',
          credentialId,
          publicKey: 'pQECAyYgASFY',
          signCount: 7,
          transports: ['usb', 'nfc'],
          backedUp: true,
          confirmedAt: new Date('2026-01-02T03:04:05Z'),
        };
        const created = await db.mfaFactors.create(webauthn);
        expect(created).toMatchObject({ ...webauthn, secretCiphertext: null });
        expect(await db.mfaFactors.listFor(user.id)).toEqual([created]);
        const other = await newUser();
        const duplicate = db.mfaFactors.create({ ...webauthn, id: `mfa_${randomUUID()}`, userId: other.id });
        await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
        await expect(duplicate).rejects.toMatchObject({ code: 'credential_exists' });
      });

      it('lists one user’s factors oldest first', async () => {
        const [user, other] = [await newUser(), await newUser()];
        const first = await db.mfaFactors.create(totp(user.id));
        const second = await db.mfaFactors.create(totp(user.id));
        await db.mfaFactors.create(totp(other.id));
        expect((await db.mfaFactors.listFor(user.id)).map((factor) => factor.id)).toEqual([
          first.id,
          second.id,
        ]);
      });

      it('updates the mutable fields only and reports a missing factor', async () => {
        const user = await newUser();
        const factor = await db.mfaFactors.create(totp(user.id));
        const at = new Date('2026-03-04T05:06:07Z');
        const changes = {
          label: 'Work phone',
          confirmedAt: at,
          lastUsedAt: at,
          signCount: 3,
          backedUp: true,
        };
        expect(await db.mfaFactors.update(factor.id, changes)).toEqual({ ...factor, ...changes });
        // The list (a prepared statement outside Prisma) gives the same record as find (Prisma).
        expect(await db.mfaFactors.listFor(user.id)).toEqual([{ ...factor, ...changes }]);
        await expect(db.mfaFactors.update('mfa_missing', { label: 'x' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('deletes idempotently, and with the user', async () => {
        const user = await newUser();
        const factor = await db.mfaFactors.create(totp(user.id));
        await db.mfaFactors.delete(factor.id);
        await db.mfaFactors.delete(factor.id);
        expect(await db.mfaFactors.find(factor.id)).toBeUndefined();
        const kept = await db.mfaFactors.create(totp(user.id));
        await db.users.delete(user.id);
        expect(await db.mfaFactors.find(kept.id)).toBeUndefined();
      });
    });

    describe('recovery codes', () => {
      it('consumes each code once, for its own user only', async () => {
        const [user, other] = [await newUser(), await newUser()];
        const codes = [randomUUID(), randomUUID()];
        await db.recoveryCodes.replaceFor(user.id, codes.map(hashOf));
        expect(await db.recoveryCodes.countUnused(user.id)).toBe(2);
        const at = new Date();
        expect(await db.recoveryCodes.consume(other.id, hashOf(codes[0]!), at)).toBe(false);
        expect(await db.recoveryCodes.consume(user.id, hashOf(codes[0]!), at)).toBe(true);
        expect(await db.recoveryCodes.consume(user.id, hashOf(codes[0]!), at)).toBe(false);
        expect(await db.recoveryCodes.consume(user.id, hashOf('never issued'), at)).toBe(false);
        expect(await db.recoveryCodes.countUnused(user.id)).toBe(1);
      });

      it('lets exactly one of several concurrent redemptions of a code succeed', async () => {
        const user = await newUser();
        const code = hashOf(randomUUID());
        await db.recoveryCodes.replaceFor(user.id, [code]);
        const results = await Promise.all(
          Array.from({ length: 5 }, () => db.recoveryCodes.consume(user.id, code, new Date())),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('replaces the whole set, used codes included', async () => {
        const user = await newUser();
        const [old, spent, fresh] = [randomUUID(), randomUUID(), randomUUID()];
        await db.recoveryCodes.replaceFor(user.id, [hashOf(old), hashOf(spent)]);
        await db.recoveryCodes.consume(user.id, hashOf(spent), new Date());
        await db.transaction((repos) => repos.recoveryCodes.replaceFor(user.id, [hashOf(fresh)]));
        expect(await db.recoveryCodes.countUnused(user.id)).toBe(1);
        expect(await db.recoveryCodes.consume(user.id, hashOf(old), new Date())).toBe(false);
        expect(await db.recoveryCodes.consume(user.id, hashOf(fresh), new Date())).toBe(true);
        await db.recoveryCodes.replaceFor(user.id, []);
        expect(await db.recoveryCodes.countUnused(user.id)).toBe(0);
      });
    });
  });
}
