import type pg from 'pg';
import type { SqlExecutor } from './sql-executor.js';

/** Wraps one checked-out pg connection (a Client or a PoolClient, never the Pool itself). */
export function pgExecutor(client: pg.ClientBase): SqlExecutor {
  return {
    async exec(sql) {
      // Without parameters pg uses the simple-query protocol, which accepts many statements.
      await client.query(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
  };
}

/** Checks out one connection for the whole of `work`, so session state stays on it. */
export async function withPooledExecutor<T>(
  pool: pg.Pool,
  work: (sql: SqlExecutor) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(pgExecutor(client));
  } finally {
    client.release();
  }
}
