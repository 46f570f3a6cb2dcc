import pg from 'pg';
import { pgExecutor } from '../../src/data/migrations/pg-executor.js';
import { applyMigrations } from '../../src/data/migrations/runner.js';
import { MIGRATIONS_DIR } from './paths.js';
import { createScratchDatabase, dropDatabase } from './scratch-database.js';

/**
 * One migrated database per test run, shared by every worker through the environment (workers
 * start after global setup and inherit it). Tests keep out of each other's way with unique ids.
 */
export async function setUpTestDatabase(): Promise<void> {
  const database = await createScratchDatabase();
  process.env.GATEHOUSE_TEST_DATABASE_NAME = database.name;
  process.env.GATEHOUSE_TEST_DATABASE_URL = database.url;
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await applyMigrations(pgExecutor(client), MIGRATIONS_DIR);
  } finally {
    await client.end();
  }
}

export async function tearDownTestDatabase(): Promise<void> {
  const name = process.env.GATEHOUSE_TEST_DATABASE_NAME;
  if (name) await dropDatabase(name);
}
