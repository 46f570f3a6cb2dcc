import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One `prisma/migrations/<name>/migration.sql`, the layout `prisma migrate deploy` reads. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** sha256 hex of the file bytes: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

export const MIGRATION_SCRIPT = 'migration.sql';
export const LOCKFILE_NAME = 'migration_lock.toml';

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Same test as Prisma's schema engine (checksum.rs): git may rewrite line endings, and old
 * Prisma versions stored hex without zero padding, neither of which is an edited migration.
 */
export function scriptMatchesChecksum(sql: string, checksum: string): boolean {
  const variants = [sql, sql.replaceAll('\r\n', '\n'), sql.replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    const rendered =
      checksum.length === 64
        ? digest.toString('hex')
        : Array.from(digest, (byte) => byte.toString(16)).join('');
    return rendered === checksum;
  });
}

/** Migrations in name order; timestamp prefixes make name order the order they were written. */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readScript(join(migrationsDir, name, MIGRATION_SCRIPT));
    // Prisma skips folders without a script (e.g. a half-created one); do the same.
    if (sql !== undefined) files.push({ name, sql, checksum: checksumOf(sql) });
  }
  return files;
}

async function readScript(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
