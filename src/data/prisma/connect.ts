import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { withPooledExecutor } from '../migrations/pg-executor.js';
import { pgliteExecutor } from '../migrations/pglite-executor.js';
import type { SqlExecutor } from '../migrations/sql-executor.js';
import {
  listenOnPostgres,
  type NotificationHandlers,
  type NotificationListener,
} from '../sql/notification-listener.js';
import type { Query, SqlTransaction } from '../sql/query.js';
import { pgliteTransaction, pgTransaction } from '../sql/transaction.js';
import { UTC_TIMESTAMP_PARSERS, UTC_TIMESTAMPS } from '../sql/utc-timestamps.js';
import { PrismaClient } from './prisma-client.js';

/** A Prisma client plus the raw session access the migration runner needs, on the same database. */
export interface PrismaConnection {
  prisma: PrismaClient;
  /** Runs `work` on one dedicated session (the runner's advisory lock is per session). */
  withExecutor<T>(work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** Hot-path statements that bypass Prisma (see sql/payload-store.ts). */
  query: Query;
  /** A transaction of its own outside Prisma, for hot-path writes (audit-chain-writer.ts). */
  transaction: SqlTransaction;
  /** LISTENs on `channel` (sql/notification-listener.ts); close it before the connection. */
  listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  transactionTimeoutMs: number;
  onError: (error: Error) => void;
}

export function connectPostgres(url: string, options: ConnectOptions): PrismaConnection {
  const pool = new pg.Pool({ connectionString: url });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, it kills
  // the process. The next query reconnects, so report it and carry on.
  pool.on('error', options.onError);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { timeout: options.transactionTimeoutMs },
  });
  return {
    prisma,
    withExecutor: (work) => withPooledExecutor(pool, work),
    query: async (name, text, values) => {
      const result = await pool.query({ name, text, values, types: UTC_TIMESTAMPS });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    transaction: pgTransaction(pool, options.transactionTimeoutMs),
    listen: async (channel, handlers) => listenOnPostgres(url, channel, handlers),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Embedded PostgreSQL in `<dataDir>/pglite`; a data directory must belong to one process. */
export async function connectPglite(dataDir: string, options: ConnectOptions): Promise<PrismaConnection> {
  const path = join(dataDir, 'pglite');
  await mkdir(path, { recursive: true });
  const db = new PGlite(path);
  await db.waitReady;
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(db),
    transactionOptions: { timeout: options.transactionTimeoutMs },
  });
  return {
    prisma,
    // PGlite is one session already; callers run migrations before serving requests.
    withExecutor: (work) => work(pgliteExecutor(db)),
    query: async (_name, text, params) => {
      const result = await db.query(text, params, { parsers: UTC_TIMESTAMP_PARSERS });
      return { rows: result.rows as never[], rowCount: result.affectedRows ?? 0 };
    },
    transaction: pgliteTransaction(db),
    // One session: notifications of its own commits, which are all of them.
    async listen(channel, handlers) {
      const unlisten = await db.listen(channel, (payload) => handlers.onNotification(payload));
      handlers.onListening(true);
      return {
        async close() {
          handlers.onListening(false);
          await unlisten();
        },
      };
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
