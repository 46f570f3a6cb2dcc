import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/data/database.js';
import { migrationsDir } from '../src/lib/project-paths.js';
import { freePort } from '../test/support/free-port.js';
import type { ScimFixture, StatsAnswer, StatsRequest } from './scim-server.js';
import { SIGN_IN_EMAILS_ENV, SQL_PROFILE_ENV } from './scim-settings.js';
import { adminUrl, deleteRedisKeys, gatehouseBenchEnv } from './bench-services.js';
import { childScript } from './child-script.js';

/**
 * The SCIM bench's own scratch database (`gatehouse_scim_bench_<random>`, created, migrated and
 * dropped like `npm run bench`'s), a fresh Redis key prefix, and the Gatehouse child on them.
 */
export interface ScimEnvironment {
  fixture: ScimFixture;
  /** The scratch database's URL (for the raw-SQL baseline and the size figures). */
  databaseUrl: string;
  databaseName: string;
  gatehousePid: number;
  /** The child's SQL counters and event-loop use since the last reset. */
  stats(reset: boolean): Promise<StatsAnswer>;
  close(): Promise<void>;
}

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function startGatehouse(env: Record<string, string>, cpuProfile: boolean) {
  const profileDir = join(tmpdir(), 'gatehouse-bench-profile-scim');
  const { path, execArgv } = childScript(
    './scim-server.ts',
    import.meta.url,
    cpuProfile ? profileDir : undefined,
  );
  const child: ChildProcess = fork(path, [], {
    env: { ...process.env, ...env },
    execArgv,
    // The child's output goes to stderr: stdout carries only the JSON report.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<ScimFixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gatehouse exited with ${code} before it was ready`)));
    child.once('message', (message) => resolve((message as { fixture: ScimFixture }).fixture));
  });
  if (cpuProfile)
    console.error(`[bench:scim] gatehouse writes its CPU profile to ${profileDir} when it stops`);
  let nextId = 0;
  const stats = (reset: boolean) =>
    new Promise<StatsAnswer>((resolve) => {
      const id = ++nextId;
      const onMessage = (message: unknown) => {
        const answer = message as StatsAnswer;
        if (answer?.type !== 'stats' || answer.id !== id) return;
        child.off('message', onMessage);
        resolve(answer);
      };
      child.on('message', onMessage);
      child.send({ type: 'stats', id, reset } satisfies StatsRequest);
    });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, ready, stats, stop };
}

export async function startScimEnvironment(options: {
  cpuProfile: boolean;
  sqlProfile: boolean;
  signInEmails: string[];
}): Promise<ScimEnvironment> {
  // A name per run: two runs at once must not drop each other's database.
  const databaseName = `gatehouse_scim_bench_${randomBytes(4).toString('hex')}`;
  await asAdmin(`CREATE DATABASE "${databaseName}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${databaseName}`;
  const keysDir = mkdtempSync(join(tmpdir(), 'gatehouse-scim-bench-keys-'));
  const redisPrefix = `gh-bench:${randomUUID()}:`;
  let gatehouse: ReturnType<typeof startGatehouse> | undefined;
  const close = async () => {
    await gatehouse?.stop();
    await deleteRedisKeys(redisPrefix);
    await asAdmin(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    rmSync(keysDir, { recursive: true, force: true });
  };
  try {
    const database = await openDatabase({ url: url.toString(), dataDir: tmpdir() });
    await database.migrate(migrationsDir());
    await database.close();
    const port = await freePort();
    gatehouse = startGatehouse(
      {
        ...gatehouseBenchEnv({ port: port, databaseUrl: url.toString(), redisPrefix, keysDir }),
        [SIGN_IN_EMAILS_ENV]: options.signInEmails.join(','),
        [SQL_PROFILE_ENV]: options.sqlProfile ? '1' : '0',
      },
      options.cpuProfile,
    );
    const fixture = await gatehouse.ready;
    return {
      fixture,
      databaseUrl: url.toString(),
      databaseName,
      gatehousePid: gatehouse.child.pid!,
      stats: gatehouse.stats,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
