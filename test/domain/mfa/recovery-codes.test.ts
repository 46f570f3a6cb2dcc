import { describe, expect, it } from '@jest/globals';
import { createRecoveryCodes } from '../../../src/domain/mfa/recovery-codes.js';
import { createTestUser, useTestDatabase } from './mfa-fixtures.js';

/** Crockford base32 in two groups of five: no i, l, o or u. */
const FORMAT = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

describe('recovery codes (PostgreSQL)', () => {
  const database = useTestDatabase();
  const recovery = () =>
    createRecoveryCodes(database(), {
      now: () => new Date('2026-06-01T09:00:00Z'),
      pepper: Buffer.from('recovery-code-test-pepper'),
    });

  it('generates 10 distinct codes of 50 bits, in a readable format', async () => {
    const user = await createTestUser(database());
    const codes = await recovery().generate(user.id);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
    expect(await recovery().remaining(user.id)).toBe(10);
  });

  it('redeems each code once', async () => {
    const user = await createTestUser(database());
    const [code] = await recovery().generate(user.id);
    expect(await recovery().redeem(user.id, code!)).toBe(true);
    expect(await recovery().redeem(user.id, code!)).toBe(false);
    expect(await recovery().remaining(user.id)).toBe(9);
  });

  it('accepts any case, spaces, dashes and look-alike letters', async () => {
    const user = await createTestUser(database());
    const codes = await recovery().generate(user.id);
    const bare = (code: string) => code.replace('-', '');
    const variants = [
      (code: string) => code.toUpperCase(),
      (code: string) => ` ${bare(code).slice(0, 3)} ${bare(code).slice(3)} `,
      (code: string) => bare(code).split('').join('-'),
      (code: string) => code.replace(/0/g, 'O').replace(/1/g, 'l'),
    ];
    for (const [index, variant] of variants.entries()) {
      expect(await recovery().redeem(user.id, variant(codes[index]!))).toBe(true);
    }
    expect(await recovery().remaining(user.id)).toBe(10 - variants.length);
  });

  it('refuses codes that are not codes, and another user’s code', async () => {
    const [user, other] = [await createTestUser(database()), await createTestUser(database())];
    const [code] = await recovery().generate(user.id);
    for (const attempt of ['', 'abcde', `${code}0`, 'uuuuu-uuuuu', '!!!!!-!!!!!']) {
      expect(await recovery().redeem(user.id, attempt)).toBe(false);
    }
    expect(await recovery().redeem(other.id, code!)).toBe(false);
    expect(await recovery().remaining(user.id)).toBe(10);
  });

  it('invalidates the old codes when new ones are generated', async () => {
    const user = await createTestUser(database());
    const old = await recovery().generate(user.id);
    await recovery().redeem(user.id, old[0]!);
    const fresh = await recovery().generate(user.id);
    expect(await recovery().remaining(user.id)).toBe(10);
    for (const code of old.slice(1)) expect(await recovery().redeem(user.id, code)).toBe(false);
    expect(fresh.some((code) => old.includes(code))).toBe(false);
    expect(await recovery().redeem(user.id, fresh[0]!)).toBe(true);
  });

  it('lets only one of concurrent redemptions of the same code succeed', async () => {
    const user = await createTestUser(database());
    const [code] = await recovery().generate(user.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => recovery().redeem(user.id, code!)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await recovery().remaining(user.id)).toBe(9);
  });
});
