import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { ENVIRONMENT_SCOPE } from '../../src/domain/organizations/admin-principal.js';
import { createOrganizationsAdmin } from '../../src/domain/organizations/organizations-admin.js';
import { testDatabaseUrl, testRedisUrl, uniqueRedisPrefix } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse orgs freeze|unfreeze|entitlements` through the real bin, on the run's database and Redis. */
describe('gatehouse orgs freeze and entitlements', () => {
  const slug = `frozen-cli-${randomUUID().slice(0, 8)}`;
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
    await createOrganizationsAdmin(db).create(operator, {
      slug,
      name: 'Frozen CLI',
      plan: { tier: 'pro', monthly_active_users: 500, api_rate_limit: '50/s' },
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('shows the effective plan, as text and as the admin API document', async () => {
    const text = await gatehouse(['orgs', 'entitlements', slug], env);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/^Plan: pro\n/);
    expect(text.stdout).toMatch(/monthly active users\s+500\s+0/);
    const json = await gatehouse(['orgs', 'entitlements', slug, '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      tier: 'pro',
      features: { sso: true, scim: true, custom_domain: false, impersonation: false },
      quotas: { monthly_active_users: 500, connections: 3, api_rate_limit: '50/s' },
      access_ended: null,
    });
  }, 150_000);

  it('freezes with a reason and unfreezes, audited; an unknown organization exits 3', async () => {
    const frozen = await gatehouse(['orgs', 'freeze', slug, '--reason', 'chargeback', '--json'], env);
    expect(frozen.code).toBe(0);
    expect(JSON.parse(frozen.stdout)).toMatchObject({
      organization: { slug, frozenReason: 'chargeback', frozenAt: expect.any(String) },
      revoked: { sessions: 0, grants: 0 },
    });
    const thawed = await gatehouse(['orgs', 'unfreeze', slug], env);
    expect(thawed).toMatchObject({ code: 0, stdout: `Unfroze ${slug}: sign-ins are admitted again.\n` });
    const organization = await db.organizations.findBySlug(slug);
    const audit = await db.audit.list(
      { targetId: organization!.id, actionPrefix: 'organization.' },
      { limit: 10 },
    );
    expect(audit.map((record) => record.action)).toEqual([
      'organization.create',
      'organization.frozen',
      'organization.unfrozen',
    ]);
    expect((await gatehouse(['orgs', 'freeze', `missing-${slug}`, '--reason', 'x'], env)).code).toBe(3);
    const withoutRedis = await gatehouse(['orgs', 'freeze', slug, '--reason', 'x'], {
      DATABASE_URL: env.DATABASE_URL!,
    });
    expect(withoutRedis.code).toBe(2);
    expect(withoutRedis.stderr).toMatch(/needs REDIS_URL/);
  }, 150_000);
});
