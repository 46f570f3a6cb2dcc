import { createMigratedDatabase, dropDatabase } from './scratch-database.js';

/**
 * One migrated database per test run, shared by every worker through the environment (workers
 * start after global setup and inherit it). Tests keep out of each other's way with unique ids.
 */
export async function setUpTestDatabase(): Promise<void> {
  const database = await createMigratedDatabase();
  process.env.GATEHOUSE_TEST_DATABASE_NAME = database.name;
  process.env.GATEHOUSE_TEST_DATABASE_URL = database.url;
}

export async function tearDownTestDatabase(): Promise<void> {
  const name = process.env.GATEHOUSE_TEST_DATABASE_NAME;
  if (name) await dropDatabase(name);
}
