import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from '../src/data/database.js';
import { migrationsDir } from '../src/lib/project-paths.js';
import type { Target } from './scenarios/scenario.js';

/**
 * Starts and stops the two servers under test, each in its own Node process so neither shares an
 * event loop with the load driver, plus the scratch PostgreSQL database and Redis key prefix.
 */
export interface RunningTarget extends Target {
  pid: number;
  stop(): Promise<void>;
}

const SCRATCH_DATABASE = 'gatehouse_bench';
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function startChild(
  name: Target['name'],
  script: string,
  env: Record<string, string>,
  profile: boolean,
): Promise<RunningTarget> {
  const profileDir = join(tmpdir(), `gatehouse-bench-profile-${name}`);
  const execArgv = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx'];
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    env: { ...process.env, ...env },
    execArgv,
    // Children's output goes to stderr: stdout carries only the JSON report.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    child.once('message', (message) => {
      const { issuer } = message as { issuer: string };
      if (profile) console.error(`[bench] ${name} writes its CPU profile to ${profileDir}`);
      resolve({
        name,
        issuer,
        pid: child.pid!,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          if (child.connected) child.send('stop');
          else child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

export interface Environment {
  gatehouse: RunningTarget;
  baseline: RunningTarget;
  close(): Promise<void>;
}

/** The scratch database (created fresh, migrated), both servers, and the cleanup for all of it. */
export async function startTargets(profile: string | undefined): Promise<Environment> {
  await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
  await asAdmin(`CREATE DATABASE "${SCRATCH_DATABASE}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${SCRATCH_DATABASE}`;
  const database = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
  await database.migrate(migrationsDir());
  await database.close();

  const keysDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-keys-'));
  const redisPrefix = `gh-bench:${randomUUID()}:`;
  const ghPort = await freePort();
  const cleanup = async () => {
    await deleteRedisKeys(redisPrefix);
    await asAdmin(`DROP DATABASE IF EXISTS "${SCRATCH_DATABASE}" WITH (FORCE)`);
    rmSync(keysDir, { recursive: true, force: true });
  };
  try {
    const gatehouse = await startChild(
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
      },
      profile === 'gatehouse',
    );
    const baseline = await startChild(
      'baseline',
      './baseline-provider.ts',
      { PORT: String(await freePort()) },
      profile === 'baseline',
    ).catch(async (error) => {
      await gatehouse.stop();
      throw error;
    });
    return {
      gatehouse,
      baseline,
      async close() {
        await Promise.allSettled([gatehouse.stop(), baseline.stop()]);
        await cleanup();
      },
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
