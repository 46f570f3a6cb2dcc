/**
 * Run by time-zone.test.ts in a process of its own (TZ is fixed when a process starts): stores a
 * user, reads it back outside Prisma and through Prisma, and prints the instants it got.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createStoredUser } from '../../support/stored-user.js';

async function readBack(db: OpenedDatabase) {
  const created = await createStoredUser(db);
  const outsidePrisma = await db.users.findById(created.id);
  const throughPrisma = await db.users.findByEmail(created.email);
  return {
    created: created.createdAt.toISOString(),
    outsidePrisma: outsidePrisma?.createdAt.toISOString(),
    throughPrisma: throughPrisma?.createdAt.toISOString(),
  };
}

const postgres = await openDatabase({ url: process.env.GATEHOUSE_TEST_DATABASE_URL!, dataDir: 'unused' });
const onPostgres = await readBack(postgres).finally(() => postgres.close());

const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-tz-'));
const pglite = await openDatabase({ dataDir });
try {
  await pglite.migrate(process.env.MIGRATIONS_DIR!);
  const onPglite = await readBack(pglite);
  process.stdout.write(
    JSON.stringify({ zone: process.env.TZ, offset: new Date().getTimezoneOffset(), onPostgres, onPglite }),
  );
} finally {
  await pglite.close();
  await rm(dataDir, { recursive: true, force: true });
}
