import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../src/data/database.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { DATABASE_OPEN_TIMEOUT_MS } from '../support/suite-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { describeDatabaseContract } from './database-contract.js';
import { describeSignInStatementsContract } from './sign-in-statements-contract.js';

describeDatabaseContract('PostgreSQL', () => openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' }));
describeSignInStatementsContract('PostgreSQL', () =>
  openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' }),
);

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-db-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeDatabaseContract('PGlite', async () => {
    const db = await openDatabase({ dataDir: join(dataDir, 'contract') });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });

  describeSignInStatementsContract('PGlite', async () => {
    const db = await openDatabase({ dataDir: join(dataDir, 'sign-in-writes') });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });

  it(
    'keeps data across a restart and does not migrate twice',
    async () => {
      // Its own directory: a PGlite data directory belongs to one open instance at a time.
      const restartDir = join(dataDir, 'restart');
      const first = await openDatabase({ dataDir: restartDir });
      await first.migrate(MIGRATIONS_DIR);
      await first.users.create({
        id: 'restart-user',
        email: 'restart@example.test',
        emailVerified: true,
        name: null,
        passwordHash: null,
        managedBy: null,
      });
      await first.close();

      const second = await openDatabase({ dataDir: restartDir });
      try {
        expect(second.kind).toBe('pglite');
        expect(await second.migrate(MIGRATIONS_DIR)).toEqual([]);
        expect(await second.users.findByEmail('restart@example.test')).toMatchObject({ id: 'restart-user' });
      } finally {
        await second.close();
      }
    },
    DATABASE_OPEN_TIMEOUT_MS,
  );
});
