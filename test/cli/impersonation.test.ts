import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { createImpersonationsAdmin } from '../../src/domain/impersonation/impersonations-admin.js';
import { createAdminServices } from '../../src/domain/organizations/admin-services.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../src/domain/organizations/admin-principal.js';
import { createEnvelope } from '../../src/lib/crypto/envelope.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse impersonation` through the real bin, on the run's shared database. */
describe('gatehouse impersonation', () => {
  const id = randomUUID().slice(0, 8);
  const slug = `support-${id}`;
  const adminEmail = `admin-${id}@support.test`;
  const memberEmail = `member-${id}@support.test`;
  const setup: AdminPrincipal = { actor: { type: 'system', id: 'test' }, scope: ENVIRONMENT_SCOPE };
  /** A platform key, as the admin API would see it: not the CLI's operator. */
  const platformKey: AdminPrincipal = {
    actor: { type: 'api_key', id: `key_${id}` },
    scope: ENVIRONMENT_SCOPE,
  };
  let env: Record<string, string>;
  let db: OpenedDatabase;

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl() };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    const admin = createAdminServices(db, {
      envelope: createEnvelope(Buffer.alloc(32, 7)),
      hasher: { hash: async () => 'unused', verify: async () => false },
      dns: { resolveTxt: async () => [] },
      spCredential: (() => {
        throw new Error('unused');
      }) as never,
    });
    await admin.organizations.create(setup, {
      slug,
      name: 'Support',
      security_policies: { impersonation: { allowed: true, approval: 'org_admin', max_duration: '30m' } },
    });
    await admin.roles.create(setup, slug, {
      name: 'owner',
      permissions: ['*'],
      admin: true,
      overridable: false,
    });
    await admin.roles.create(setup, slug, {
      name: 'agent',
      permissions: ['claims:read'],
      admin: false,
      overridable: false,
    });
    for (const [email, role] of [
      [adminEmail, 'owner'],
      [memberEmail, 'agent'],
    ] as const) {
      await admin.users.create(setup, { email, email_verified: true, organization: slug, roles: [role] });
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it('requests with a handle shown once, and refuses bad scopes and durations as invalid input', async () => {
    const base = [
      'impersonation',
      'request',
      '--organization',
      slug,
      '--user',
      memberEmail,
      '--reason',
      'Ticket 12',
    ];
    const created = await gatehouse(
      [...base, '--permission', 'claims:read', '--duration', '20m', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      id: expect.stringMatching(/^imp_/),
      status: 'requested',
      operator: { type: 'cli' },
      readOnly: false,
      permissions: ['claims:read'],
      durationSeconds: 1200,
      handle: expect.stringMatching(/^ghimp_/),
    });
    const table = await gatehouse([...base, '--read-only', '--duration', '5m'], env);
    expect(table.stdout).toMatch(/^impersonation imp_\S+: requested\n\n {2}ghimp_\S+\n/);
    expect(table.stderr).toContain('must approve it');

    expect(await gatehouse([...base, '--duration', '5m'], env)).toMatchObject({
      code: 2,
      stderr: 'gatehouse: give either --read-only or --permission (one or more)\n',
    });
    const tooLong = await gatehouse([...base, '--read-only', '--duration', '2h'], env);
    expect(tooLong).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--duration: impersonation lasts at most 1h'),
    });
    const overPolicy = await gatehouse([...base, '--read-only', '--duration', '45m'], env);
    expect(overPolicy).toMatchObject({ code: 2, stderr: expect.stringContaining('at most 30 minutes') });
  }, 120_000);

  it('approves on behalf of an admin member, never for the operator who asked, and revokes', async () => {
    const own = JSON.parse(
      (
        await gatehouse(
          [
            'impersonation',
            'request',
            '--organization',
            slug,
            '--user',
            memberEmail,
            '--reason',
            'Ticket 13',
            '--read-only',
            '--duration',
            '5m',
            '--json',
          ],
          env,
        )
      ).stdout,
    ) as { id: string };
    expect(
      await gatehouse(
        ['impersonation', 'approve', own.id, '--organization', slug, '--on-behalf-of', adminEmail],
        env,
      ),
    ).toMatchObject({
      code: 5,
      stderr: 'gatehouse: the operator who requested an impersonation cannot decide it\n',
    });

    const { impersonation } = await createImpersonationsAdmin(db).request(platformKey, slug, {
      user: memberEmail,
      reason: 'Ticket 14',
      scope: 'read_only',
      duration: '10m',
    });
    const notAdmin = await gatehouse(
      ['impersonation', 'approve', impersonation.id, '--organization', slug, '--on-behalf-of', memberEmail],
      env,
    );
    expect(notAdmin).toMatchObject({ code: 2, stderr: expect.stringContaining('is not an admin member') });
    const approved = await gatehouse(
      [
        'impersonation',
        'approve',
        impersonation.id,
        '--organization',
        slug,
        '--on-behalf-of',
        adminEmail,
        '--json',
      ],
      env,
    );
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ status: 'approved', approver: { type: 'user' } });

    const listed = await gatehouse(['impersonation', 'list', '--organization', slug], env);
    expect(listed.stdout).toMatch(new RegExp(`^${impersonation.id} +approved `, 'm'));
    expect(listed.stdout).toMatch(new RegExp(`^${own.id} +requested `, 'm'));

    const revoked = await gatehouse(
      ['impersonation', 'revoke', impersonation.id, '--organization', slug],
      env,
    );
    expect(revoked).toMatchObject({
      code: 0,
      stdout: `impersonation ${impersonation.id}: revoked (decided by user:${JSON.parse(approved.stdout).approver.id})\n`,
    });
    const again = await gatehouse(
      ['impersonation', 'deny', impersonation.id, '--organization', slug, '--on-behalf-of', adminEmail],
      env,
    );
    expect(again).toMatchObject({ code: 4 });
    const actions = (await db.audit.list({ targetId: impersonation.id }, { limit: 10 })).map(
      (record) => record.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['impersonation.request', 'impersonation.approve', 'impersonation.revoke']),
    );
  }, 180_000);
});
