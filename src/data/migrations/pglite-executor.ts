import type { PGlite } from '@electric-sql/pglite';
import type { SqlExecutor } from './sql-executor.js';

/** PGlite is a single in-process session, so it is its own executor. */
export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
  };
}
