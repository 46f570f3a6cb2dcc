import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createLocalAccounts } from '../../../src/domain/accounts/local-accounts.js';
import { DEMO_USER_EMAIL, seedDemo } from '../../../src/domain/demo/demo-seed.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { createMigratedDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { DATABASE_OPEN_TIMEOUT_MS } from '../../support/suite-database.js';

describe('demo seeding', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;
  beforeAll(async () => {
    scratch = await createMigratedDatabase();
    db = await openDatabase({ url: scratch.url, dataDir: 'unused' });
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('survives processes sharing a database seeding at once: one demo user, every start succeeds', async () => {
    const accounts = createLocalAccounts(db.users, createArgon2Hasher());
    const envelope = createEnvelope(randomBytes(32));
    const seed = () => seedDemo(db, accounts, envelope, 'http://127.0.0.1:3000', 'demo-password-123');
    const started = await Promise.all([seed(), seed(), seed()]);
    expect(started.map((credentials) => credentials.email)).toEqual([
      DEMO_USER_EMAIL,
      DEMO_USER_EMAIL,
      DEMO_USER_EMAIL,
    ]);
    expect((await db.users.findByEmail(DEMO_USER_EMAIL))?.managedBy).toBe('demo');
    expect(await db.clients.find('gatehouse-demo')).toBeDefined();
  });
});
