import pg from 'pg';
import { processCpuMs } from './process-cpu.js';

/**
 * The bench's own view of the scratch database: its size and the sizes of the tables a SCIM
 * import writes, and a sampler of what Gatehouse's sessions are doing (pg_stat_activity) and how
 * much CPU their backend processes use (/proc), to tell waiting on locks from working.
 */
const TABLES = ['directory_users', 'users', 'memberships', 'audit_records', 'events'] as const;

export interface DatabaseSize {
  databaseBytes: number;
  databaseMiB: number;
  tables: Record<string, { bytes: number; MiB: number; rows: number; bytesPerRow: number | null }>;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function databaseSize(pool: pg.Pool): Promise<DatabaseSize> {
  const { rows } = await pool.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database()) AS bytes',
  );
  const databaseBytes = Number(rows[0]!.bytes);
  const tables: DatabaseSize['tables'] = {};
  for (const table of TABLES) {
    // Table names come from the constant above, never from input.
    const result = await pool.query<{ bytes: string; rows: string }>(
      `SELECT pg_total_relation_size('${table}') AS bytes, (SELECT count(*) FROM "${table}") AS rows`,
    );
    const bytes = Number(result.rows[0]!.bytes);
    const count = Number(result.rows[0]!.rows);
    tables[table] = {
      bytes,
      MiB: mib(bytes),
      rows: count,
      bytesPerRow: count ? Math.round(bytes / count) : null,
    };
  }
  return { databaseBytes, databaseMiB: mib(databaseBytes), tables };
}

export interface ActivityProfile {
  samples: number;
  /** Per state (and wait event when waiting), the share of sampled Gatehouse sessions. */
  sessionStates: Record<string, number>;
  /** Mean sessions sampled per tick: the pool's connections that were open. */
  meanSessions: number;
  /** CPU the database's backend processes used over the window (user + system, ms). */
  backendCpuMs: number;
  /** Why sampling stopped early, if it did. */
  failure?: string;
}

/** Samples pg_stat_activity of `database` every `intervalMs` until stopped. */
export function sampleActivity(pool: pg.Pool, database: string, intervalMs = 200) {
  const counts = new Map<string, number>();
  const firstCpu = new Map<number, number>();
  const lastCpu = new Map<number, number>();
  let samples = 0;
  let sessions = 0;
  let running = true;
  const tick = async () => {
    const { rows } = await pool.query<{ pid: number; state: string | null; wait: string | null }>(
      `SELECT pid, state, wait_event_type || ':' || wait_event AS wait
         FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()
          AND application_name <> 'gatehouse-scim-bench'`,
      [database],
    );
    samples += 1;
    for (const row of rows) {
      const key = row.state === 'active' && row.wait ? `active (${row.wait})` : (row.state ?? 'unknown');
      counts.set(key, (counts.get(key) ?? 0) + 1);
      sessions += 1;
      const cpu = processCpuMs(row.pid);
      if (cpu === undefined) continue;
      if (!firstCpu.has(row.pid)) firstCpu.set(row.pid, cpu);
      lastCpu.set(row.pid, cpu);
    }
  };
  let failure: string | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await tick();
      } catch (error) {
        // A sampler that cannot read must not take the run down: the profile says so instead.
        failure = (error as Error).message;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop(): Promise<ActivityProfile> {
      running = false;
      await loop;
      const total = [...counts.values()].reduce((sum, count) => sum + count, 0) || 1;
      const sessionStates = Object.fromEntries(
        [...counts]
          .sort((a, b) => b[1] - a[1])
          .map(([key, count]) => [key, Math.round((count / total) * 1000) / 1000]),
      );
      let backendCpuMs = 0;
      for (const [pid, last] of lastCpu) backendCpuMs += last - (firstCpu.get(pid) ?? last);
      return {
        samples,
        sessionStates,
        meanSessions: samples ? Math.round((sessions / samples) * 10) / 10 : 0,
        backendCpuMs: Math.round(backendCpuMs),
        ...(failure ? { failure } : {}),
      };
    },
  };
}

/** A pool on the scratch database, named so the sampler leaves its own sessions out. */
export const benchPool = (url: string, max: number) =>
  new pg.Pool({ connectionString: url, max, application_name: 'gatehouse-scim-bench' });
