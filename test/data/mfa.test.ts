import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { openDatabase } from '../../src/data/database.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { testDatabaseUrl } from '../support/services.js';
import { describeMfaContract } from './mfa-contract.js';

describeMfaContract('PostgreSQL', () => openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' }));

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-mfa-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeMfaContract('PGlite', async () => {
    const db = await openDatabase({ dataDir });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });
});
