import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createMigration } from '../../../src/data/migrations/create-migration.js';
import { LOCKFILE_NAME, readMigrationFiles } from '../../../src/data/migrations/migration-files.js';
import { pgExecutor } from '../../../src/data/migrations/pg-executor.js';
import { applyMigrations } from '../../../src/data/migrations/runner.js';
import { openSchemaEngine } from '../../../src/data/migrations/schema-engine.js';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../../support/paths.js';
import { createScratchDatabase } from '../../support/scratch-database.js';
import type { ScratchDatabase } from '../../support/scratch-database.js';

/** Prisma's own engine (WASM build) must read our bookkeeping as its own: that is the contract. */
describe('compatibility with Prisma migrate', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('gatehouse_compat');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('`migrate deploy` finds nothing to apply after our runner ran', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await applyMigrations(pgExecutor(client), MIGRATIONS_DIR);
    } finally {
      await client.end();
    }
    const files = await readMigrationFiles(MIGRATIONS_DIR);
    const schema = { path: 'schema.prisma', content: await readFile(SCHEMA_PATH, 'utf8') };
    const pool = new pg.Pool({ connectionString: database.url });
    const engine = await openSchemaEngine(new PrismaPg(pool), [schema]);
    try {
      const result = await engine.applyMigrations({
        migrationsList: {
          baseDir: MIGRATIONS_DIR,
          lockfile: {
            path: LOCKFILE_NAME,
            content: await readFile(join(MIGRATIONS_DIR, LOCKFILE_NAME), 'utf8'),
          },
          shadowDbInitScript: '',
          migrationDirectories: files.map((file) => ({
            path: file.name,
            migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: file.sql } },
          })),
        },
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(result.appliedMigrationNames).toEqual([]);
    } finally {
      engine.free();
      await pool.end();
    }
  });
});

describe('createMigration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-new-migration-'));
    await cp(MIGRATIONS_DIR, join(dir, 'migrations'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Each run starts PGlite and the WASM engine: seconds, more on a busy machine.
  it('finds the committed migrations in step with prisma/schema.prisma', async () => {
    const created = await createMigration({
      schemaPath: SCHEMA_PATH,
      migrationsDir: join(dir, 'migrations'),
      name: 'drift check',
    });
    // A failure here means schema.prisma changed without `npm run migration:new`.
    expect(created.directory).toBeUndefined();
  }, 120_000);

  it('writes exactly the difference as the next timestamped migration', async () => {
    const schemaPath = join(dir, 'schema.prisma');
    const schema = await readFile(SCHEMA_PATH, 'utf8');
    await writeFile(schemaPath, `${schema}\nmodel Note {\n  id String @id\n  @@map("notes")\n}\n`);
    const created = await createMigration({
      schemaPath,
      migrationsDir: join(dir, 'migrations'),
      name: 'Add notes!',
      now: new Date(Date.UTC(2099, 0, 2, 3, 4, 5)),
    });
    expect(created.directory).toBe(join(dir, 'migrations', '20990102030405_add_notes'));
    expect(created.sql).toContain('CREATE TABLE "notes"');
    expect(created.sql).not.toContain('"users"');
    const entries = await readdir(join(dir, 'migrations'));
    expect(entries).toContain('20990102030405_add_notes');
  }, 120_000);
});
