import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyMigrations } from '../../src/data/migrations/runner.js';
import { connectPglite, connectPostgres } from '../../src/data/prisma/connect.js';
import type { PrismaConnection } from '../../src/data/prisma/connect.js';
import { Prisma } from '../../src/data/prisma/prisma-client.js';
import type { PrismaClient } from '../../src/data/prisma/prisma-client.js';
import {
  groupFilterSql,
  groupOrderBy,
  userFilterSql,
  userOrderBy,
} from '../../src/data/prisma/scim-filter-sql.js';
import { matchesFilter, parseFilter } from '../../src/domain/scim/expressions/index.js';
import type { Filter } from '../../src/domain/scim/expressions/index.js';
import { ScimError } from '../../src/domain/scim/model/index.js';
import type { JsonObject } from '../../src/domain/scim/model/index.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { testDatabaseUrl } from '../support/services.js';
import { GROUP_FILTERS, REFUSED_BY_BOTH, USER_FILTERS } from './scim-filter-sql-cases.js';
import { ENTERPRISE, seedDirectory } from './scim-filter-sql-fixtures.js';
import type { SeededDirectory } from './scim-filter-sql-fixtures.js';

const OPTIONS = { transactionTimeoutMs: 10_000, onError: () => {} };

type Kind = 'users' | 'groups';

function selectIds(kind: Kind, directoryId: string, where: Prisma.Sql, orderBy?: Prisma.Sql): Prisma.Sql {
  return kind === 'users'
    ? Prisma.sql`SELECT u.id FROM directory_users u WHERE u.directory_id = ${directoryId} AND (${where})
        ORDER BY ${orderBy ?? Prisma.sql`u.id`}`
    : Prisma.sql`SELECT g.id FROM directory_groups g WHERE g.directory_id = ${directoryId} AND (${where})
        ORDER BY ${orderBy ?? Prisma.sql`g.id`}`;
}

const filterSql = (kind: Kind, filter: Filter) =>
  kind === 'users' ? userFilterSql(filter) : groupFilterSql(filter);
const sorted = (ids: readonly string[]) => [...ids].sort();

function scimFailure(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

function describeFilterSql(name: string, open: () => Promise<PrismaConnection>): void {
  describe(`SCIM filters and sorting as SQL on ${name}`, () => {
    let connection: PrismaConnection;
    let prisma: PrismaClient;
    let seeded: SeededDirectory;

    beforeAll(async () => {
      connection = await open();
      prisma = connection.prisma;
      seeded = await seedDirectory(prisma);
      // Statistics, as a live database has them: without any the planner guesses every index alike.
      await prisma.$executeRaw`ANALYZE directory_users, directory_groups, directory_group_members`;
    }, 120_000);
    afterAll(async () => {
      await seeded?.remove();
      await connection?.close();
    });

    const text = (template: string) => template.replaceAll('{T}', seeded.tag);
    const resources = (kind: Kind) => (kind === 'users' ? seeded.users : seeded.groups);
    const idsOf = (list: readonly JsonObject[]) => sorted(list.map((resource) => String(resource.id)));

    async function sqlIds(kind: Kind, filter: Filter | string): Promise<string[]> {
      const parsed = typeof filter === 'string' ? parseFilter(text(filter)) : filter;
      const rows = await prisma.$queryRaw<Array<{ id: string }>>(
        selectIds(kind, seeded.directoryId, filterSql(kind, parsed)),
      );
      return sorted(rows.map((row) => row.id));
    }

    const user = (...indexes: number[]) =>
      indexes.map((index) => `${seeded.tag}-U${String(index).padStart(2, '0')}`);
    const group = (...indexes: number[]) => indexes.map((index) => `${seeded.tag}-G${index}`);

    const oracle = (kind: Kind, filter: Filter) =>
      idsOf(resources(kind).filter((resource) => matchesFilter(resource, filter)));

    describe('match what the in-memory evaluator matches', () => {
      it.each(USER_FILTERS)('Users?filter=%s', async (template) => {
        const filter = parseFilter(text(template));
        expect(await sqlIds('users', filter)).toEqual(oracle('users', filter));
      });

      it.each(GROUP_FILTERS)('Groups?filter=%s', async (template) => {
        const filter = parseFilter(text(template));
        expect(await sqlIds('groups', filter)).toEqual(oracle('groups', filter));
      });

      it('tells the users apart: the table is not answered by "all" and "none" alone', async () => {
        const counts = await Promise.all(
          USER_FILTERS.map(async (template) => (await sqlIds('users', template)).length),
        );
        const partial = counts.filter((count) => count > 0 && count < seeded.users.length);
        expect(partial.length).toBeGreaterThan(USER_FILTERS.length * 0.6);
      });

      it.each(REFUSED_BY_BOTH)('%s is invalidFilter in both', (template) => {
        const filter = parseFilter(template);
        expect(scimFailure(() => userFilterSql(filter)).scimType).toBe('invalidFilter');
        expect(scimFailure(() => oracle('users', filter)).scimType).toBe('invalidFilter');
      });
    });

    describe('exact results', () => {
      it.each<[string, () => string[]]>([
        ['userName eq "BJENSEN@example.com"', () => user(0)],
        ['emails.value eq "frank@EXAMPLE.org"', () => user(7)],
        ['emails[type eq "home" and primary eq true]', () => user(1, 2, 23)],
        ['groups.value eq "{T}-G2"', () => user(2, 19)],
        ['not (active eq true)', () => user(1, 6, 10, 22)],
        [`${ENTERPRISE}:manager.value eq "mgr-001"`, () => user(0, 2, 7)],
        ['meta.created gt "2025-03-02T04:00:00.998+01:00"', () => user(27, 28, 29, 30)],
        ['meta.created eq "2025-03-02T03:00:00.999"', () => user(27)],
        ['title ne "Tour Guide" and title pr and not (title co " ")', () => user(2, 6, 11, 17, 25, 30)],
      ])('Users?filter=%s', async (filter, expected) => {
        expect(await sqlIds('users', filter)).toEqual(sorted(expected()));
      });

      it.each<[string, () => string[]]>([
        ['members.value eq "{T}-U00"', () => group(0, 1)],
        ['displayName eq "TOUR GUIDES"', () => group(0)],
        ['not (members pr)', () => group(3)],
      ])('Groups?filter=%s', async (filter, expected) => {
        expect(await sqlIds('groups', filter)).toEqual(sorted(expected()));
      });

      it('escapes %, _ and \\ in LIKE patterns: they match themselves only', async () => {
        expect(await sqlIds('users', 'title co "50%_off"')).toEqual(user(4));
        expect(await sqlIds('users', 'userName co "%"')).toEqual(user(4));
        expect(await sqlIds('users', 'userName sw "carol_"')).toEqual(user(4));
        expect(await sqlIds('users', 'userName co "\\\\b"')).toEqual(user(5));
        expect(await sqlIds('users', 'emails ew "_1@example.com"')).toEqual(user(29));
        expect(await sqlIds('users', 'emails.value co "%"')).toEqual([]);
        expect(await sqlIds('groups', 'displayName sw "50%_"')).toEqual(group(5));
      });
    });

    describe('refusals', () => {
      it.each([
        'meta.created gt "2025"',
        'meta.lastModified eq "yesterday"',
        'meta.created lt "2025-13-45T00:00:00Z"',
        'meta.location pr',
        'groups.$ref co "Groups"',
        'groups[$ref pr]',
      ])('Users?filter=%s is invalidFilter', (filter) => {
        const error = scimFailure(() => userFilterSql(parseFilter(filter)));
        expect(error.scimType).toBe('invalidFilter');
        expect(error.status).toBe(400);
      });

      it('refuses members.$ref on groups', () => {
        expect(scimFailure(() => groupFilterSql(parseFilter('members.$ref pr'))).scimType).toBe(
          'invalidFilter',
        );
      });
    });

    describe('long chains', () => {
      const leaf = (index: number): Filter => ({
        kind: 'compare',
        path: { attribute: 'username' },
        op: 'eq',
        value: index === 599 ? 'bob' : `nobody-${index}`,
      });
      const chain = (kind: 'and' | 'or', count: number, term: (index: number) => Filter): Filter => {
        let filter = term(0);
        for (let index = 1; index < count; index++) filter = { kind, left: filter, right: term(index) };
        return filter;
      };

      it('translates 600 left-deep or-terms, and the database runs them', async () => {
        expect(await sqlIds('users', chain('or', 600, leaf))).toEqual(user(3));
        const rightDeep = Array.from({ length: 599 }, (_, index) => leaf(index)).reduceRight<Filter>(
          (right, left) => ({ kind: 'or', left, right }),
          leaf(599),
        );
        expect(await sqlIds('users', rightDeep)).toEqual(user(3));
      });

      it('translates 600 and-terms of negations', async () => {
        const filter = chain('and', 600, (index) => ({ kind: 'not', filter: leaf(index) }));
        expect(await sqlIds('users', filter)).toEqual(idsOf(seeded.users).filter((id) => id !== user(3)[0]));
      });

      it('builds 50,000 terms without running out of stack', () => {
        const sql = userFilterSql(chain('or', 50_000, leaf));
        expect(sql.values).toHaveLength(50_000);
        expect(sql.text).not.toContain('((');
      });

      it('translates the longest chain the parser admits', async () => {
        let filterText = 'id eq "0"';
        for (let index = 1; filterText.length + ` or id eq "${index}"`.length <= 4096; index++) {
          filterText += ` or id eq "${index}"`;
        }
        expect(await sqlIds('users', filterText)).toEqual([]);
      });
    });

    describe('sortBy and sortOrder (RFC 7644 §3.4.2.3)', () => {
      type Key = string | number | boolean | undefined;
      async function sqlOrder(kind: Kind, sortBy?: string, sortOrder?: 'ascending' | 'descending') {
        const orderBy = kind === 'users' ? userOrderBy(sortBy, sortOrder) : groupOrderBy(sortBy, sortOrder);
        const rows = await prisma.$queryRaw<Array<{ id: string }>>(
          selectIds(kind, seeded.directoryId, Prisma.sql`TRUE`, orderBy),
        );
        return rows.map((row) => row.id);
      }
      /** Missing keys last when ascending, first when descending; ties by id. */
      function expectedOrder(
        list: readonly JsonObject[],
        key: (resource: JsonObject) => Key,
        descending = false,
      ) {
        const compareKeys = (a: Key, b: Key) => {
          if (a === b) return 0;
          if (a === undefined) return descending ? -1 : 1;
          if (b === undefined) return descending ? 1 : -1;
          const order = a < b ? -1 : 1;
          return descending ? -order : order;
        };
        return [...list]
          .sort((a, b) => compareKeys(key(a), key(b)) || (String(a.id) < String(b.id) ? -1 : 1))
          .map((resource) => String(resource.id));
      }
      const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : undefined);
      const record = (value: unknown) => (value as JsonObject | undefined) ?? {};
      const primaryOrFirst = (value: unknown) => {
        const list = Array.isArray(value) ? (value as JsonObject[]) : [];
        return list.find((element) => element.primary === true) ?? list[0];
      };

      it('orders by id when no sortBy is given', async () => {
        expect(await sqlOrder('users')).toEqual(expectedOrder(seeded.users, () => undefined));
        expect(await sqlOrder('groups', undefined, 'descending')).toEqual(sorted(seeded.groupIds));
      });

      it.each<[string, (resource: JsonObject) => Key]>([
        ['userName', (resource) => lower(resource.userName)],
        ['name.familyName', (resource) => lower(record(resource.name).familyName)],
        ['title', (resource) => lower(resource.title)],
        ['externalId', (resource) => resource.externalId as Key],
        ['emails', (resource) => lower(primaryOrFirst(resource.emails)?.value)],
        ['emails.type', (resource) => lower(primaryOrFirst(resource.emails)?.type)],
        ['addresses.locality', (resource) => lower(primaryOrFirst(resource.addresses)?.locality)],
        ['groups', (resource) => lower(primaryOrFirst(resource.groups)?.value)],
        ['groups.display', (resource) => lower(primaryOrFirst(resource.groups)?.display)],
        ['meta.created', (resource) => String(record(resource.meta).created)],
        ['active', (resource) => resource.active as boolean],
        [`${ENTERPRISE}:department`, (resource) => lower(record(resource[ENTERPRISE]).department)],
        ['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:DisplayName', (resource) => lower(resource.displayName)],
        ['groups.type', () => undefined],
      ])('Users sortBy=%s, both orders', async (sortBy, key) => {
        expect(await sqlOrder('users', sortBy)).toEqual(expectedOrder(seeded.users, key));
        expect(await sqlOrder('users', sortBy, 'ascending')).toEqual(expectedOrder(seeded.users, key));
        expect(await sqlOrder('users', sortBy, 'descending')).toEqual(expectedOrder(seeded.users, key, true));
      });

      it.each<[string, (resource: JsonObject) => Key]>([
        ['displayName', (resource) => lower(resource.displayName)],
        ['members', (resource) => lower(primaryOrFirst(resource.members)?.value)],
        ['members.display', (resource) => lower(primaryOrFirst(resource.members)?.display)],
        ['externalId', (resource) => resource.externalId as Key],
      ])('Groups sortBy=%s, both orders', async (sortBy, key) => {
        expect(await sqlOrder('groups', sortBy)).toEqual(expectedOrder(seeded.groups, key));
        expect(await sqlOrder('groups', sortBy, 'descending')).toEqual(
          expectedOrder(seeded.groups, key, true),
        );
      });

      it.each([
        'nonexistent',
        'name',
        'addresses',
        'meta',
        ENTERPRISE,
        'meta.location',
        'schemas',
        'name.x.y',
        '',
      ])('refuses sortBy=%j unless blank, with invalidValue', (sortBy) => {
        if (sortBy === '') {
          expect(() => userOrderBy(sortBy)).not.toThrow();
          return;
        }
        expect(scimFailure(() => userOrderBy(sortBy)).scimType).toBe('invalidValue');
      });

      it('refuses members of a user and userName of a group', () => {
        expect(scimFailure(() => userOrderBy('members')).scimType).toBe('invalidValue');
        expect(scimFailure(() => groupOrderBy('userName')).scimType).toBe('invalidValue');
      });
    });

    describe('index use (EXPLAIN, with sequential scans discouraged)', () => {
      async function plan(kind: Kind, filter: string, scoped = true): Promise<string> {
        const where = filterSql(kind, parseFilter(filter));
        const table = kind === 'users' ? Prisma.sql`directory_users u` : Prisma.sql`directory_groups g`;
        const alias = Prisma.raw(kind === 'users' ? 'u' : 'g');
        const query = scoped
          ? Prisma.sql`EXPLAIN SELECT ${alias}.id FROM ${table} WHERE ${alias}.directory_id = ${seeded.directoryId} AND (${where})`
          : Prisma.sql`EXPLAIN SELECT ${alias}.id FROM ${table} WHERE ${where}`;
        const rows = await prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
          return tx.$queryRaw<Array<{ 'QUERY PLAN': string }>>(query);
        });
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      }

      it.each<[Kind, string, RegExp]>([
        ['users', 'userName eq "Bob"', /directory_users_directory_id_user_name_key_key/],
        ['users', 'externalId eq "ext-bob"', /directory_users_directory_id_external_id_key/],
        ['users', 'id eq "x"', /directory_users_(pkey|directory_id_id_idx)/],
        ['groups', 'displayName eq "Admins"', /directory_groups_directory_id_display_name_key_idx/],
        ['groups', 'externalId eq "grp-eng"', /directory_groups_directory_id_external_id_key/],
        ['groups', 'id eq "x"', /directory_groups_(pkey|directory_id_id_idx)/],
      ])('%s?filter=%s is an index lookup (%s)', async (kind, filter, index) => {
        const found = await plan(kind, filter);
        expect(found).toMatch(index);
        // The filter's own column is an index condition, not a filter over the directory's rows.
        expect(found).toMatch(/Index Cond: .*(user_name_key|external_id|display_name_key|\bid\b) = /);
      });

      it('answers emails eq from the GIN index', async () => {
        for (const filter of ['emails.value eq "Bob@Example.com"', 'emails eq "bob@example.com"']) {
          expect(await plan('users', filter)).toMatch(/Index/);
          expect(await plan('users', filter, false)).toContain('directory_users_emails_idx');
        }
      });
    });
  });
}

describeFilterSql('PostgreSQL', async () => connectPostgres(testDatabaseUrl(), OPTIONS));

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-scim-sql-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeFilterSql('PGlite', async () => {
    const connection = await connectPglite(dataDir, OPTIONS);
    await connection.withExecutor((sql) => applyMigrations(sql, MIGRATIONS_DIR));
    return connection;
  });
});
