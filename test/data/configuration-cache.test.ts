import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { connectPglite, connectPostgres } from '../../src/data/prisma/connect.js';
import { forgettingConfigurationWrites } from '../../src/data/prisma/configuration-writes.js';
import { createConfigurationCache } from '../../src/data/sql/configuration-cache.js';
import { applyMigrations } from '../../src/data/migrations/runner.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { createStoredOrganization } from '../support/stored-organization.js';
import { createStoredMembership, createStoredUser } from '../support/stored-user.js';
import { DATABASE_OPEN_TIMEOUT_MS } from '../support/suite-database.js';
import { eventually } from '../support/webhook-receiver.js';

const CHANNEL = 'gh_configuration';
const noErrors = { transactionTimeoutMs: 10_000, onError: () => {} };

/**
 * Two Gatehouse processes (two opened databases, each with its configuration cache) on a
 * database of their own, so that no other suite's writes announce changes meanwhile; a plain
 * client writes behind their backs.
 */
describe('configuration cache on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let one: OpenedDatabase;
  let other: OpenedDatabase;
  let raw: pg.Client;

  const listeners = async () =>
    Number(
      (
        await raw.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
          [`LISTEN "${CHANNEL}"`],
        )
      ).rows[0].n,
    );
  /** A change no trigger announces: what only a process that does not cache would see. */
  const unannounced = async (statement: string, values: unknown[]) => {
    await raw.query('BEGIN');
    await raw.query(`SET LOCAL session_replication_role = replica`);
    await raw.query(statement, values);
    await raw.query('COMMIT');
  };
  const renameUnannounced = (id: string, name: string) =>
    unannounced(`UPDATE "organizations" SET "name" = $2 WHERE "id" = $1`, [id, name]);
  /**
   * Lets the announcements of the setup's own writes arrive (a few milliseconds), so that they do
   * not empty the cache in the middle of what a test checks.
   */
  const settled = () => new Promise((resolve) => setTimeout(resolve, 250));
  const nameSeenBy = async (db: OpenedDatabase, id: string) => (await db.organizations.chain(id))[0]!.name;

  beforeAll(async () => {
    scratch = await createMigratedDatabase('gatehouse_cache');
    const open = () => openDatabase({ url: scratch.url, dataDir: 'unused', cacheConfiguration: true });
    [one, other] = await Promise.all([open(), open()]);
    raw = new pg.Client({ connectionString: scratch.url });
    await raw.connect();
    await eventually(async () => (await listeners()) === 2, 10_000, 'both processes listening');
    await settled();
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([one?.close(), other?.close(), raw?.end()]);
    await scratch?.drop();
  });

  it('keeps an organization across reads until another process changes it', async () => {
    const organization = await createStoredOrganization(other);
    await settled();
    expect(await nameSeenBy(one, organization.id)).toBe('Acme');

    await renameUnannounced(organization.id, 'Unannounced');
    expect(await nameSeenBy(one, organization.id)).toBe('Acme');

    await other.organizations.update(organization.id, { status: 'suspended' });
    await eventually(
      async () => (await one.organizations.chain(organization.id))[0]!.status === 'suspended',
      5_000,
      'the change announced to the other process',
    );
    expect(await nameSeenBy(one, organization.id)).toBe('Unannounced');
  });

  it('sees its own writes at once, in a transaction or not', async () => {
    const organization = await createStoredOrganization(one);
    expect(await nameSeenBy(one, organization.id)).toBe('Acme');
    await one.organizations.update(organization.id, { name: 'Renamed' });
    expect(await nameSeenBy(one, organization.id)).toBe('Renamed');
    await one.transaction((repos) =>
      repos.organizations.update(organization.id, { name: 'In a transaction' }),
    );
    expect(await nameSeenBy(one, organization.id)).toBe('In a transaction');
  });

  it('keeps every configuration read: connections, domains, routing rules, roles', async () => {
    const organization = await createStoredOrganization(other);
    await other.roles.create({
      id: `role_${organization.id}`,
      organizationId: organization.id,
      name: 'member',
      description: null,
      permissions: ['read'],
      admin: false,
      overridable: true,
    });
    await settled();
    expect((await one.roles.listFor([organization.id])).map((role) => role.permissions)).toEqual([['read']]);
    await unannounced(`UPDATE "roles" SET "permissions" = ARRAY['write'] WHERE "organization_id" = $1`, [
      organization.id,
    ]);
    expect((await one.roles.listFor([organization.id])).map((role) => role.permissions)).toEqual([['read']]);
    await raw.query(`UPDATE "roles" SET "description" = 'announced' WHERE "organization_id" = $1`, [
      organization.id,
    ]);
    await eventually(
      async () => (await one.roles.listFor([organization.id]))[0]!.description === 'announced',
      5_000,
      'a change by another client announced',
    );
    expect((await one.roles.listFor([organization.id]))[0]!.permissions).toEqual(['write']);
  });

  it('keeps a user’s standing until their memberships change, and only theirs', async () => {
    const organization = await createStoredOrganization(other);
    const member = async () => {
      const user = await createStoredUser(other);
      const membership = await createStoredMembership(other, user.id, organization.id);
      return { user, membership };
    };
    const [ann, bob] = [await member(), await member()];
    const statusSeenBy = async (db: OpenedDatabase, userId: string) =>
      (await db.access.forUser(organization.slug, userId))?.membership?.status;
    const suspendUnannounced = (membershipId: string) =>
      unannounced(`UPDATE "memberships" SET "status" = 'suspended' WHERE "id" = $1`, [membershipId]);
    await settled();
    expect(await statusSeenBy(one, ann.user.id)).toBe('active');
    expect(await statusSeenBy(one, bob.user.id)).toBe('active');

    await suspendUnannounced(ann.membership.id);
    await suspendUnannounced(bob.membership.id);
    expect(await statusSeenBy(one, ann.user.id)).toBe('active');

    // Another process ends Ann's membership: this one forgets her standing, and only hers.
    await other.memberships.delete(ann.membership.id);
    await eventually(
      async () => (await statusSeenBy(one, ann.user.id)) === undefined,
      5_000,
      'the removal announced to the other process',
    );
    expect(await statusSeenBy(one, bob.user.id)).toBe('active');

    // Its own write it sees at once.
    await one.memberships.update(bob.membership.id, { status: 'active' });
    expect(await statusSeenBy(one, bob.user.id)).toBe('active');
    await one.memberships.update(bob.membership.id, { status: 'pending' });
    expect(await statusSeenBy(one, bob.user.id)).toBe('pending');
  });

  it('forgets at each of its own writes, before any announcement: all for configuration, standing for memberships', async () => {
    const connection = connectPostgres(scratch.url, noErrors);
    const forgotten: string[] = [];
    const recorder = {
      ...createConfigurationCache(),
      forgetAll: () => void forgotten.push('everything'),
      forget: (tag: string) => void forgotten.push(tag),
    };
    const prisma = forgettingConfigurationWrites(connection.prisma, recorder);
    try {
      const organization = await createStoredOrganization(one);
      const user = await createStoredUser(one);
      const membership = { id: randomUUID(), userId: user.id, organizationId: organization.id, roles: [] };
      await prisma.membership.create({ data: membership });
      await prisma.membership.findUnique({ where: { id: membership.id } });
      await prisma.membership.update({ where: { id: membership.id }, data: { status: 'suspended' } });
      await prisma.user.update({ where: { id: user.id }, data: { name: 'Renamed' } });
      await prisma.organization.update({ where: { id: organization.id }, data: { name: 'Renamed' } });
      await prisma.user.delete({ where: { id: user.id } });
      expect(forgotten).toEqual(['memberships', 'memberships', 'everything', 'memberships']);
    } finally {
      await connection.close();
    }
  });

  it('keeps nothing while it is not listening, and listens again', async () => {
    const organization = await createStoredOrganization(one);
    await settled();
    expect(await nameSeenBy(one, organization.id)).toBe('Acme');
    await raw.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
      [`LISTEN "${CHANNEL}"`],
    );
    await renameUnannounced(organization.id, 'While deaf');
    await eventually(
      async () => (await nameSeenBy(one, organization.id)) === 'While deaf',
      5_000,
      'reads going to the database once the listening connection is lost',
    );

    await eventually(async () => (await listeners()) === 2, 10_000, 'both processes listening again');
    await settled();
    expect(await nameSeenBy(one, organization.id)).toBe('While deaf');
    await renameUnannounced(organization.id, 'Unannounced');
    expect(await nameSeenBy(one, organization.id)).toBe('While deaf');
  });

  it('announces a committed change to each watched table, and nothing for a rolled back one', async () => {
    const connection = connectPostgres(scratch.url, noErrors);
    const heard: string[] = [];
    const listener = await connection.listen(CHANNEL, {
      // The processes' probes (configuration-announcements.ts) are not changes.
      onNotification: (payload) => void (payload.startsWith('probe:') || heard.push(payload)),
      onListening: () => {},
      onError: () => {},
    });
    try {
      await eventually(async () => (await listeners()) === 3, 10_000, 'the third listener');
      await raw.query('BEGIN');
      await raw.query(`DELETE FROM "routing_rules"`);
      await raw.query('ROLLBACK');
      for (const table of ['organizations', 'domains', 'connections', 'routing_rules', 'roles', 'clients']) {
        await raw.query(`DELETE FROM "${table}" WHERE false`);
      }
      await raw.query(`DELETE FROM "users" WHERE false`);
      // Memberships row by row, for their user: once per transaction, before and after a change.
      const [first, second] = [await createStoredOrganization(one), await createStoredOrganization(one)];
      const [ann, bob] = [await createStoredUser(one), await createStoredUser(one)];
      heard.length = 0;
      await raw.query(
        `INSERT INTO "memberships" ("id", "user_id", "organization_id", "roles", "updated_at")
         VALUES ($1, $3, $4, '{}', now()), ($2, $3, $5, '{}', now())`,
        [randomUUID(), randomUUID(), ann.id, first.id, second.id],
      );
      await raw.query(`UPDATE "memberships" SET "user_id" = $1 WHERE "organization_id" = $2`, [
        bob.id,
        first.id,
      ]);
      const forUsers = () => heard.filter((payload) => payload.startsWith('user:'));
      await eventually(() => forUsers().length >= 3, 5_000, 'three announcements');
      await raw.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      // (the organizations' own announcements may still be arriving: only the users' are looked at)
      expect(forUsers()).toEqual([`user:${ann.id}`, `user:${ann.id}`, `user:${bob.id}`]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      heard.length = 0;
      for (const table of ['organizations', 'domains', 'connections', 'routing_rules', 'roles', 'clients']) {
        await raw.query(`DELETE FROM "${table}" WHERE false`);
      }
      await raw.query(`DELETE FROM "users" WHERE false`);
      await raw.query(`DELETE FROM "memberships" WHERE false`);
      await eventually(() => heard.length >= 6, 5_000, 'six announcements');
      // A round trip more, for any stray announcement to arrive.
      await raw.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(['organizations', 'domains', 'connections', 'routing_rules', 'roles', 'clients']);
    } finally {
      await listener.close();
      await connection.close();
    }
  });
});

describe('configuration cache on PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-cache-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'is told of a change made outside Prisma, as soon as it commits',
    async () => {
      const connection = await connectPglite(join(dataDir, 'raw'), noErrors);
      try {
        await connection.withExecutor((sql) => applyMigrations(sql, MIGRATIONS_DIR));
        let heard = 0;
        const listening: boolean[] = [];
        const listener = await connection.listen(CHANNEL, {
          onNotification: () => (heard += 1),
          onListening: (on) => listening.push(on),
          onError: () => {},
        });
        await connection.query('gh_test', `UPDATE "domains" SET "id" = "id" WHERE false`, []);
        expect(heard).toBe(1);
        await listener.close();
        expect(listening).toEqual([true, false]);
      } finally {
        await connection.close();
      }
    },
    DATABASE_OPEN_TIMEOUT_MS,
  );

  it(
    'keeps reads and forgets them on its own writes',
    async () => {
      const db = await openDatabase({ dataDir: join(dataDir, 'opened'), cacheConfiguration: true });
      try {
        await db.migrate(MIGRATIONS_DIR);
        const organization = await createStoredOrganization(db);
        const first = await db.organizations.chain(organization.id);
        expect(await db.organizations.chain(organization.id)).toBe(first);
        await db.organizations.update(organization.id, { name: 'Renamed' });
        expect((await db.organizations.chain(organization.id))[0]!.name).toBe('Renamed');
      } finally {
        await db.close();
      }
    },
    DATABASE_OPEN_TIMEOUT_MS,
  );
});
