import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createSigningKeys, type SigningKeys } from '../../../src/domain/keys/signing-keys.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { migrationsDir } from '../../../src/lib/project-paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

describe('signing keys on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;
  let keys: SigningKeys;
  let clock = new Date('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    scratch = await createScratchDatabase('gatehouse_keys');
    db = await openDatabase({ url: scratch.url, dataDir: 'unused' });
    await db.migrate(migrationsDir());
    keys = createSigningKeys(db, createEnvelope(randomBytes(32)), () => clock);
  });
  afterAll(async () => {
    await db.close();
    await scratch.drop();
  });

  const states = async () => (await keys.list()).map((key) => `${key.alg}:${key.state}`).sort();

  it('creates a current and a next key per algorithm once, even when started concurrently', async () => {
    await Promise.all([keys.ensure(), keys.ensure(), keys.ensure()]);
    expect(await states()).toEqual(['ES256:current', 'ES256:next', 'RS256:current', 'RS256:next']);
  });

  it('rotates next -> current -> previous -> retired and keeps private keys encrypted at rest', async () => {
    const before = await keys.list();
    const currentRs = before.find((key) => key.alg === 'RS256' && key.state === 'current')!;
    const nextRs = before.find((key) => key.alg === 'RS256' && key.state === 'next')!;
    expect(currentRs.privateJwkCt).not.toContain('"d"');

    clock = new Date('2026-02-01T00:00:00Z');
    await keys.rotate();
    const after = await keys.list();
    expect(after.find((key) => key.kid === nextRs.kid)?.state).toBe('current');
    expect(after.find((key) => key.kid === nextRs.kid)?.activatedAt).toEqual(clock);
    expect(after.find((key) => key.kid === currentRs.kid)?.state).toBe('previous');

    await keys.rotate();
    expect((await keys.list()).find((key) => key.kid === currentRs.kid)?.state).toBe('retired');
    expect(await states()).toEqual([
      'ES256:current',
      'ES256:next',
      'ES256:previous',
      'ES256:retired',
      'RS256:current',
      'RS256:next',
      'RS256:previous',
      'RS256:retired',
    ]);
  });

  it('lists the published set current first, so oidc-provider signs with the current key', async () => {
    const set = await keys.signingSet();
    const byKid = new Map((await keys.list()).map((key) => [key.kid, key.state]));
    expect(set.map((jwk) => byKid.get(jwk.kid))).toEqual([
      'current',
      'current',
      'next',
      'next',
      'previous',
      'previous',
    ]);
    expect(set.every((jwk) => typeof jwk.d === 'string')).toBe(true);
  });

  it('cannot open the keys with a different key-encryption key', async () => {
    const other = createSigningKeys(db, createEnvelope(randomBytes(32)));
    await expect(other.signingSet()).rejects.toThrow();
  });
});
