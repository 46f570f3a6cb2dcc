import { randomUUID } from 'node:crypto';
import { readMigrationFiles, scriptMatchesChecksum } from './migration-files.js';
import type { MigrationFile } from './migration-files.js';
import type { SqlExecutor } from './sql-executor.js';

export type { SqlExecutor } from './sql-executor.js';

/** Prisma's own key (`migrate deploy` takes the same lock), so both tools exclude each other. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/** Same table and columns as Prisma's, so `prisma migrate deploy`/`status` agree with us. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export type MigrationLog = (message: string) => void;

/**
 * Applies the migrations not yet recorded, oldest first, each in its own transaction together
 * with its `_prisma_migrations` row: a failed migration leaves neither schema changes nor a row.
 * (So a migration cannot use statements PostgreSQL forbids in a transaction, such as
 * CREATE INDEX CONCURRENTLY.) Returns the names applied by this call.
 */
export async function applyMigrations(
  sql: SqlExecutor,
  migrationsDir: string,
  log: MigrationLog = () => {},
): Promise<string[]> {
  const files = await readMigrationFiles(migrationsDir);
  // Session-level lock: several instances booting at once must not race on the same migration.
  await sql.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  try {
    await sql.exec(CREATE_MIGRATIONS_TABLE);
    const pending = planPending(files, await readApplied(sql));
    const applied: string[] = [];
    for (const migration of pending) {
      log(`applying migration ${migration.name}`);
      await applyOne(sql, migration);
      applied.push(migration.name);
    }
    if (applied.length === 0) log('database schema is up to date');
    return applied;
  } finally {
    await sql.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  }
}

async function readApplied(sql: SqlExecutor): Promise<AppliedRow[]> {
  // Rolled-back rows are history only (`prisma migrate resolve --rolled-back`), as Prisma treats them.
  return sql.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
}

function planPending(files: MigrationFile[], rows: AppliedRow[]): MigrationFile[] {
  const failed = rows.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((row) => row.migration_name).join(', ');
    throw new MigrationError(
      `migration(s) ${names} failed earlier and were never finished; repair the database, ` +
        'then mark them with `prisma migrate resolve` before migrating again',
    );
  }
  const byName = new Map(rows.map((row) => [row.migration_name, row]));
  for (const file of files) {
    const row = byName.get(file.name);
    if (row && !scriptMatchesChecksum(file.sql, row.checksum)) {
      throw new MigrationError(
        `migration ${file.name} was modified after it was applied (checksum ${row.checksum} in the ` +
          `database, ${file.checksum} on disk); restore the file and add a new migration instead`,
      );
    }
  }
  return files.filter((file) => !byName.has(file.name));
}

async function applyOne(sql: SqlExecutor, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await sql.exec('BEGIN');
  try {
    await sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await sql.exec(migration.sql);
    await sql.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await sql.exec('COMMIT');
  } catch (error) {
    await sql.exec('ROLLBACK');
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, {
      cause: error,
    });
  }
}
