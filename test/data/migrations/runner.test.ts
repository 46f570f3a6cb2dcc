import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { checksumOf, readMigrationFiles } from '../../../src/data/migrations/migration-files.js';
import { pgExecutor } from '../../../src/data/migrations/pg-executor.js';
import { pgliteExecutor } from '../../../src/data/migrations/pglite-executor.js';
import { applyMigrations, MigrationError } from '../../../src/data/migrations/runner.js';
import type { SqlExecutor } from '../../../src/data/migrations/sql-executor.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase } from '../../support/scratch-database.js';
import type { ScratchDatabase } from '../../support/scratch-database.js';

interface Target {
  sql: SqlExecutor;
  close(): Promise<void>;
}

interface MigrationRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
  rolled_back_at: Date | null;
}

async function committedMigrationNames(): Promise<string[]> {
  return (await readMigrationFiles(MIGRATIONS_DIR)).map((file) => file.name);
}

function describeRunner(name: string, open: () => Promise<Target>): void {
  describe(`applyMigrations on ${name}`, () => {
    let target: Target;
    let dir: string;

    // One connection per engine (a PGlite takes seconds to start); each test gets an empty schema.
    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      await target.close();
    });
    beforeEach(async () => {
      await target.sql.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      dir = await mkdtemp(join(tmpdir(), 'gatehouse-migrations-'));
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const rows = () =>
      target.sql.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');

    it('applies every committed migration once, recorded as Prisma records them', async () => {
      const names = await committedMigrationNames();
      expect(names.length).toBeGreaterThan(0);
      expect(await applyMigrations(target.sql, dir)).toEqual(names);
      const recorded = await rows();
      expect(recorded.map((row) => row.migration_name)).toEqual(names);
      for (const row of recorded) {
        const sql = await readFile(join(dir, row.migration_name, 'migration.sql'), 'utf8');
        expect(row.checksum).toBe(checksumOf(sql));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
      const tables = await target.sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['users', 'clients', 'signing_keys', 'oidc_payloads']),
      );
      expect(await applyMigrations(target.sql, dir)).toEqual([]);
      expect(await rows()).toHaveLength(names.length);
    });

    it('applies only a migration added later', async () => {
      await applyMigrations(target.sql, dir);
      await mkdir(join(dir, '99990101000000_add_note'));
      await writeFile(
        join(dir, '99990101000000_add_note', 'migration.sql'),
        'ALTER TABLE "users" ADD COLUMN "note" TEXT;\n',
      );
      expect(await applyMigrations(target.sql, dir)).toEqual(['99990101000000_add_note']);
      await target.sql.query(
        `INSERT INTO users (id, email, updated_at, note) VALUES ('u', 'u@x', now(), 'n')`,
      );
    });

    it('refuses to run when an applied migration was edited', async () => {
      const [first] = await committedMigrationNames();
      await applyMigrations(target.sql, dir);
      await writeFile(join(dir, first!, 'migration.sql'), '-- edited\nSELECT 1;\n', { flag: 'a' });
      await mkdir(join(dir, '99990101000000_never'));
      await writeFile(join(dir, '99990101000000_never', 'migration.sql'), 'CREATE TABLE never_made (x int);');
      const run = applyMigrations(target.sql, dir);
      await expect(run).rejects.toThrow(MigrationError);
      await expect(applyMigrations(target.sql, dir)).rejects.toThrow(/was modified after it was applied/);
      const tables = await target.sql.query(
        `SELECT 1 FROM information_schema.tables WHERE table_name = 'never_made'`,
      );
      expect(tables).toHaveLength(0);
    });

    it('accepts a checksum taken with other line endings, as Prisma does', async () => {
      const [first] = await committedMigrationNames();
      await applyMigrations(target.sql, dir);
      const path = join(dir, first!, 'migration.sql');
      await writeFile(path, (await readFile(path, 'utf8')).replaceAll('\n', '\r\n'));
      expect(await applyMigrations(target.sql, dir)).toEqual([]);
    });

    it('rolls a failing migration back completely and records nothing for it', async () => {
      await applyMigrations(target.sql, dir);
      await mkdir(join(dir, '99990101000000_broken'));
      await writeFile(
        join(dir, '99990101000000_broken', 'migration.sql'),
        'CREATE TABLE half_done (x int);\nSELECT * FROM no_such_table;\n',
      );
      await expect(applyMigrations(target.sql, dir)).rejects.toThrow(/99990101000000_broken failed/);
      const leftovers = await target.sql.query(
        `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`,
      );
      expect(leftovers).toHaveLength(0);
      expect((await rows()).map((row) => row.migration_name)).not.toContain('99990101000000_broken');
      // The session is usable again: the failed transaction was closed.
      expect(await target.sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('refuses while a migration is recorded as failed by `prisma migrate deploy`', async () => {
      await applyMigrations(target.sql, dir);
      await target.sql.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
         VALUES ('f', 'x', '99990101000000_failed', now())`,
      );
      await expect(applyMigrations(target.sql, dir)).rejects.toThrow(/failed earlier/);
    });

    it('treats a missing migrations folder as no migrations', async () => {
      expect(await applyMigrations(target.sql, join(dir, 'absent'))).toEqual([]);
    });
  });
}

describe('migration runner', () => {
  const scratch: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(scratch.map((database) => database.drop()));
  });

  describeRunner('PostgreSQL', async () => {
    const database = await createScratchDatabase('gatehouse_runner');
    scratch.push(database);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    return { sql: pgExecutor(client), close: () => client.end() };
  });

  describeRunner('PGlite', async () => {
    const db = new PGlite('memory://');
    await db.waitReady;
    return { sql: pgliteExecutor(db), close: () => db.close() };
  });
});

describe('migration runner lock', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('gatehouse_runner');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('lets two instances booting together apply each migration exactly once', async () => {
    const clients = [0, 1].map(() => new pg.Client({ connectionString: database.url }));
    await Promise.all(clients.map((client) => client.connect()));
    try {
      const results = await Promise.all(clients.map((c) => applyMigrations(pgExecutor(c), MIGRATIONS_DIR)));
      expect(results.flat().sort()).toEqual((await committedMigrationNames()).sort());
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });
});
