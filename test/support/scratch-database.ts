import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgExecutor } from '../../src/data/migrations/pg-executor.js';
import { applyMigrations } from '../../src/data/migrations/runner.js';
import { MIGRATIONS_DIR } from './paths.js';

export const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export function adminDatabaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the same server as DATABASE_URL; names are random, so runs never collide. */
export async function createScratchDatabase(prefix = 'gatehouse_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  // FORCE: a test that failed midway may still hold connections.
  await asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** A fresh database with every committed migration applied (by our runner, on one session). */
export async function createMigratedDatabase(prefix = 'gatehouse_test'): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(prefix);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await applyMigrations(pgExecutor(client), MIGRATIONS_DIR);
  } finally {
    await client.end();
  }
  return database;
}
