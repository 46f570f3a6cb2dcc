import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from '../src/data/database.js';
import { migrationsDir } from '../src/lib/project-paths.js';
import { freePort } from '../test/support/free-port.js';
import { startChild, type RunningTarget } from './child.js';
import { SEED_ORGANIZATIONS_ENV } from './organizations.js';

export type { RunningTarget } from './child.js';

/**
 * Starts and stops the three servers under test (Gatehouse, the in-memory baseline, the baseline
 * on Gatehouse's storage), each in its own Node process, plus the scratch PostgreSQL database
 * and the Redis key prefixes (one per server that uses Redis).
 */
// A name per run: two runs at once must not drop each other's database.
const SCRATCH_DATABASE = `gatehouse_bench_${randomBytes(4).toString('hex')}`;
const adminUrl = () => process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const redisUrl = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const HUGE_LIMIT = '100000000';

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface Environment {
  gatehouse: RunningTarget;
  baseline: RunningTarget;
  baselineSameStorage: RunningTarget;
  /** In the order they take turns in each cell. */
  all: RunningTarget[];
  close(): Promise<void>;
}

export interface TargetOptions {
  /** `gatehouse`, `baseline` or `baseline_same_storage`: that server runs with --cpu-prof. */
  profile: string | undefined;
  /** Seed Gatehouse with the organizations of `org_token` and `org_exchange` (organizations.ts) before it serves. */
  organizations: boolean;
}

/** The scratch database (created fresh, migrated), the three servers, and the cleanup for all of it. */
export async function startTargets({ profile, organizations }: TargetOptions): Promise<Environment> {
  await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
  await asAdmin(`CREATE DATABASE "${SCRATCH_DATABASE}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${SCRATCH_DATABASE}`;
  const database = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
  await database.migrate(migrationsDir());
  await database.close();

  const keysDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-keys-'));
  const redisPrefix = `gh-bench:${randomUUID()}:`;
  const sameStoragePrefix = `gh-bench:${randomUUID()}:`;
  const ghPort = await freePort();
  const started: RunningTarget[] = [];
  const cleanup = async () => {
    await Promise.allSettled(started.map((target) => target.stop()));
    await deleteRedisKeys(redisPrefix);
    await deleteRedisKeys(sameStoragePrefix);
    await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
    rmSync(keysDir, { recursive: true, force: true });
  };
  const start = async (...args: Parameters<typeof startChild>) => {
    const target = await startChild(...args);
    started.push(target);
    return target;
  };
  try {
    const gatehouse = await start(
      'gatehouse',
      './gatehouse-server.ts',
      {
        NODE_ENV: 'test',
        PORT: String(ghPort),
        ISSUER: `http://127.0.0.1:${ghPort}`,
        DATABASE_URL: url.toString(),
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: redisPrefix,
        KEYS_DIR: keysDir,
        GATEHOUSE_KEK: randomBytes(32).toString('base64url'),
        COOKIE_KEYS: randomBytes(32).toString('base64url'),
        LOG_LEVEL: 'silent',
        DEMO: 'false',
        RATE_LIMIT_TOKEN_PER_MINUTE: HUGE_LIMIT,
        RATE_LIMIT_LOGIN_PER_MINUTE: HUGE_LIMIT,
        [SEED_ORGANIZATIONS_ENV]: organizations ? '1' : '0',
      },
      profile === 'gatehouse',
    );
    const baseline = await start(
      'baseline',
      './baseline-provider.ts',
      { PORT: String(await freePort()), BASELINE_STORAGE: 'memory' },
      profile === 'baseline',
    );
    const baselineSameStorage = await start(
      'baseline_same_storage',
      './baseline-provider.ts',
      {
        PORT: String(await freePort()),
        BASELINE_STORAGE: 'gatehouse',
        DATABASE_URL: url.toString(),
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: sameStoragePrefix,
      },
      profile === 'baseline_same_storage',
    );
    return {
      gatehouse,
      baseline,
      baselineSameStorage,
      all: [gatehouse, baseline, baselineSameStorage],
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl(), { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
