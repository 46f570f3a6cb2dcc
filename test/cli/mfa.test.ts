import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse mfa` through the real bin: list (table and JSON), reset, exit codes, audit. */
describe('gatehouse mfa', () => {
  const secretCiphertext = `sealed-${randomUUID()}`;
  let env: Record<string, string>;
  let db: OpenedDatabase;

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl() };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function userWithFactor() {
    const user = await db.users.create({
      id: `usr_${randomUUID()}`,
      email: `mfa-cli-${randomUUID().slice(0, 8)}@example.com`,
      emailVerified: true,
      name: null,
      passwordHash: null,
      managedBy: null,
    });
    const factor = await db.mfaFactors.create({
      id: `mfa_${randomUUID()}`,
      userId: user.id,
      type: 'totp',
      label: 'Phone',
      secretCiphertext,
      confirmedAt: new Date(),
    });
    // Hashes are unique across users: random stand-ins, never real codes.
    await db.recoveryCodes.replaceFor(user.id, [randomUUID(), randomUUID()]);
    return { user, factor };
  }

  it('lists factors as a table and as JSON, never the secret', async () => {
    const { user, factor } = await userWithFactor();
    const list = await gatehouse(['mfa', 'list', '--user', user.email], env);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toMatch(new RegExp(`^${factor.id} +totp +Phone +confirmed +\\S+Z +-$`, 'm'));
    expect(list.stdout).toMatch(/^2 unused recovery codes$/m);

    const asJson = await gatehouse(['mfa', 'list', '--user', user.id, '--json'], env);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      userId: user.id,
      factors: [{ id: factor.id, type: 'totp', label: 'Phone' }],
      recoveryCodesRemaining: 2,
    });
    expect(list.stdout + asJson.stdout).not.toContain(secretCiphertext);
  }, 60_000);

  it('resets every factor and recovery code, recorded with the operator as actor', async () => {
    const { user } = await userWithFactor();
    const reset = await gatehouse(['mfa', 'reset', '--user', user.email], env);
    expect(reset).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `reset the second factors of ${user.email}\n`,
    });
    expect(await db.mfaFactors.listFor(user.id)).toEqual([]);
    expect(await db.recoveryCodes.countUnused(user.id)).toBe(0);
    const after = await gatehouse(['mfa', 'list', '--user', user.email], env);
    expect(after.stdout).toBe(`${user.email} has no second factors; 0 unused recovery codes\n`);

    const records = await db.audit.list(
      { targetType: 'user', targetId: user.id, action: 'mfa.reset' },
      { limit: 5 },
    );
    expect(records).toEqual([
      expect.objectContaining({ organizationId: null, actor: { type: 'cli', id: expect.any(String) } }),
    ]);
    expect(JSON.stringify(records)).not.toContain(secretCiphertext);
  }, 60_000);

  it('exits 3 for an unknown user and 2 without --user', async () => {
    const unknown = await gatehouse(['mfa', 'reset', '--user', `nobody-${randomUUID()}@example.com`], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^gatehouse: .*not found/);
    const missing = await gatehouse(['mfa', 'list'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--user <user>' not specified/);
  }, 60_000);
});
