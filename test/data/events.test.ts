import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { openDatabase } from '../../src/data/database.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { describeEventsContract } from './events-contract.js';

// A database of its own: claimDue leases every due endpoint it sees, other suites' included.
describe('PostgreSQL', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createMigratedDatabase('gatehouse_events');
  }, 60_000);
  afterAll(async () => {
    await database.drop();
  });

  describeEventsContract('PostgreSQL', () => openDatabase({ url: database.url, dataDir: 'unused' }));
});

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-events-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeEventsContract('PGlite', async () => {
    const db = await openDatabase({ dataDir });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });
});
