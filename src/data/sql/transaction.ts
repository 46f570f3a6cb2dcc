import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { SqlStatement, SqlTransaction } from './query.js';
import { UTC_TIMESTAMP_PARSERS, UTC_TIMESTAMPS } from './utc-timestamps.js';

/**
 * A transaction outside Prisma on one pooled connection. The lock wait is bounded like a Prisma
 * transaction's timeout, so a stuck holder of a row lock cannot pile up writers forever. A
 * connection whose ROLLBACK failed is discarded, not returned to the pool mid-transaction.
 */
export function pgTransaction(pool: pg.Pool, timeoutMs: number): SqlTransaction {
  // No parameters: pg sends it as one simple query, one round trip for both statements.
  const begin = `BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`;
  return async (work) => {
    const client = await pool.connect();
    const sql: SqlStatement = async (text, params) =>
      (await client.query({ text, values: [...params], types: UTC_TIMESTAMPS })).rows;
    try {
      await client.query(begin);
      const result = await work(sql);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      const rollback = await client.query('ROLLBACK').then(
        () => undefined,
        (failure: Error) => failure,
      );
      client.release(rollback);
      throw error;
    }
  };
}

/** PGlite is one session: its own transaction queues behind any other (Prisma's included). */
export function pgliteTransaction(db: PGlite): SqlTransaction {
  return (work) =>
    db.transaction((tx) =>
      work(
        async (text, params) =>
          (await tx.query<Record<string, unknown>>(text, [...params], { parsers: UTC_TIMESTAMP_PARSERS }))
            .rows,
      ),
    );
}
