import { randomUUID } from 'node:crypto';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The migrated database global-setup created for this run. */
export function testDatabaseUrl(): string {
  const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
  if (!url) throw new Error('GATEHOUSE_TEST_DATABASE_URL is unset: run tests through jest (global setup)');
  return url;
}

export function testRedisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

/** Keys under this prefix belong to one test suite only. */
export function uniqueRedisPrefix(): string {
  return `gh-test:${randomUUID()}:`;
}
