import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { createFederationsAdmin } from '../../src/domain/federations/federations-admin.js';
import { ENVIRONMENT_SCOPE } from '../../src/domain/organizations/admin-principal.js';
import { createOrganizationsAdmin } from '../../src/domain/organizations/organizations-admin.js';
import { testDatabaseUrl, testRedisUrl, uniqueRedisPrefix } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse federations list|show|freeze|unfreeze` through the real bin, on the run's database and Redis. */
describe('gatehouse federations', () => {
  const id = randomUUID().slice(0, 8);
  const slug = `trust-cli-${id}`;
  const operator = { actor: { type: 'cli' as const, id: 'test' }, scope: ENVIRONMENT_SCOPE };
  let env: Record<string, string>;
  let db: OpenedDatabase;

  beforeAll(async () => {
    env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: uniqueRedisPrefix(),
    };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    const organizations = createOrganizationsAdmin(db);
    await organizations.create(operator, { slug: `brokers-${id}`, name: 'Brokers' });
    await organizations.create(operator, { slug: `underwriters-${id}`, name: 'Underwriters' });
    const federations = createFederationsAdmin(db);
    await federations.create(operator, { slug, members: [`brokers-${id}`, `underwriters-${id}`] });
    await federations.createRule(operator, slug, {
      source: `brokers-${id}`,
      target: `underwriters-${id}`,
      permissions: ['submit_quotes'],
      requires_mfa: true,
      ip_restrictions: ['203.0.113.0/24'],
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists and shows a federation with its rules, as text and JSON', async () => {
    const list = await gatehouse(['federations', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug, frozenAt: null })]),
    );
    const shown = await gatehouse(['federations', 'show', slug], env);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toContain(`Federation ${slug}`);
    expect(shown.stdout).toMatch(
      new RegExp(`brokers-${id}\\s+underwriters-${id}\\s+submit_quotes\\s+yes\\s+203\\.0\\.113\\.0/24`),
    );
  }, 150_000);

  it('freezes with a reason and unfreezes, audited; needs REDIS_URL to freeze; unknown exits 3', async () => {
    const frozen = await gatehouse(['federations', 'freeze', slug, '--reason', 'incident 7', '--json'], env);
    expect(frozen.code).toBe(0);
    expect(JSON.parse(frozen.stdout)).toMatchObject({
      slug,
      frozenReason: 'incident 7',
      frozenAt: expect.any(String),
    });
    const thawed = await gatehouse(['federations', 'unfreeze', slug], env);
    expect(thawed).toMatchObject({
      code: 0,
      stdout: `Unfroze federation ${slug}: partners may sign in again.\n`,
    });
    const federation = await db.federations.findBySlug(slug);
    expect(federation?.frozenAt).toBeNull();
    const audit = await db.audit.list(
      { targetId: federation!.id, actionPrefix: 'federation.' },
      { limit: 10 },
    );
    expect(audit.map((record) => record.action)).toEqual([
      'federation.create',
      'federation.freeze',
      'federation.unfreeze',
    ]);
    expect((await gatehouse(['federations', 'show', `missing-${slug}`], env)).code).toBe(3);
    const withoutRedis = await gatehouse(['federations', 'freeze', slug, '--reason', 'x'], {
      DATABASE_URL: env.DATABASE_URL!,
    });
    expect(withoutRedis.code).toBe(2);
    expect(withoutRedis.stderr).toMatch(/needs REDIS_URL/);
  }, 150_000);
});
