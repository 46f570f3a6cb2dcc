import { randomBytes } from 'node:crypto';
import pg from 'pg';

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
