import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { openDatabase } from '../../src/data/database.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { testDatabaseUrl } from '../support/services.js';
import { describeFederationContract } from './federation-contract.js';

describeFederationContract('PostgreSQL', () => openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' }));

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-federation-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeFederationContract('PGlite', async () => {
    const db = await openDatabase({ dataDir });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });
});
