import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { gatehouse } from '../cli/run-gatehouse.js';

const PASSWORD = 'correct horse battery';
const EXIT_AUDIT_BROKEN = 6;
/** Each `gatehouse` process starts TypeScript from source: seconds each on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 180_000;

/**
 * The audit log as an operator checks it: a real server writes the chains (admin API changes, a
 * sign-in, its tokens), records are then changed behind its back with SQL, and the real
 * `gatehouse audit verify` process names what was done.
 */
describe('audit hash chain: `gatehouse audit verify` finds tampering', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let gh: TestGatehouse;
  let api: AdminApi;
  let sql: pg.Client;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    // Its own database: this suite tampers with audit records, and verify walks every chain.
    database = await ownDatabase();
    gh = await startGatehouse({ DATABASE_URL: database.url });
    api = adminApi(gh, await adminKey(gh));
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    cliEnv = { DATABASE_URL: database.url, GATEHOUSE_KEK: gh.env.GATEHOUSE_KEK!, KEYS_DIR: gh.env.KEYS_DIR };
  }, 60_000);
  afterAll(async () => {
    await gh?.stop();
    await sql?.end();
    await database?.drop();
  });

  /** An organization with three admin changes in its chain: created, a role added, the role changed. */
  const organizationWithChanges = async () => {
    const slug = `audit-${randomUUID().slice(0, 8)}`;
    const organization = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug, name: 'A' },
    });
    const role = { name: 'viewer', permissions: ['read'] };
    await api.expect(201, `/organizations/${slug}/roles`, { method: 'POST', json: role });
    await api.expect(200, `/organizations/${slug}/roles/viewer`, {
      method: 'PATCH',
      json: { permissions: ['read', 'list'] },
    });
    return { id: organization.id as string, slug };
  };
  const chainIds = async (organizationId: string) => {
    const { rows } = await sql.query<{ id: string }>(
      'SELECT id::text AS id FROM audit_records WHERE chain_key = $1 ORDER BY seq',
      [organizationId],
    );
    return rows.map((row) => row.id);
  };
  const verify = (args: string[] = []) => gatehouse(['audit', 'verify', ...args], cliEnv);

  it(
    'verifies a log of admin changes, a sign-in and the tokens it got',
    async () => {
      const organization = await organizationWithChanges();
      const email = `audit-${randomUUID().slice(0, 8)}@example.test`;
      const userId = await gh.addUser(email, PASSWORD);
      await api.expect(201, `/organizations/${organization.slug}/memberships`, {
        method: 'POST',
        json: { user_id: userId, roles: ['viewer'] },
      });
      const clientId = `audit-app-${randomUUID()}`;
      await gh.addClient({
        client_id: clientId,
        redirect_uris: [REDIRECT_URI],
        scopes: ['openid', 'organization'],
      });
      await loginWithPassword(await discover(gh.issuer, clientId), email, PASSWORD, {
        scope: 'openid organization',
      });

      const actions = await eventually(async () => {
        const page = await api.expect(200, `/organizations/${organization.slug}/audit?limit=50`);
        const seen = (page.data as Array<{ action: string }>).map((record) => record.action);
        return seen.includes('token.issue') ? seen : undefined;
      });
      expect(actions).toEqual(
        expect.arrayContaining([
          'organization.create',
          'role.create',
          'membership.create',
          'login.succeeded',
        ]),
      );
      expect(await gatehouse(['keys', 'rotate'], cliEnv)).toMatchObject({ code: 0 });
      const rotations = await api.expect(200, '/audit?action=signing_key.*');
      expect(rotations.data).toEqual([
        expect.objectContaining({
          organization_id: null,
          actor: { type: 'cli', id: expect.any(String) },
          action: 'signing_key.rotate',
          before: expect.objectContaining({ current: expect.any(Array), next: expect.any(Array) }),
        }),
      ]);

      const run = await verify();
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^intact: \d+ chain\(s\), \d+ record\(s\) checked\n$/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'still verifies after retention pruned the chains, and goes on from the pruned mark',
    async () => {
      const organization = await organizationWithChanges();
      const before = new Date().toISOString();
      const pruned = await gatehouse(['audit', 'prune', '--before', before], cliEnv);
      expect(pruned).toMatchObject({ code: 0, stderr: '' });
      expect(pruned.stdout).toMatch(/^deleted [1-9]\d* audit record\(s\) from before /);
      expect(await chainIds(organization.id)).toEqual([]);

      expect(await verify()).toMatchObject({ code: 0 });
      await api.expect(200, `/organizations/${organization.slug}/roles/viewer`, {
        method: 'PATCH',
        json: { permissions: ['read'] },
      });
      expect((await verify(['--organization', organization.slug])).code).toBe(0);
      const prunes = await api.expect(200, `/audit?action=audit.prune&target_id=${organization.id}`);
      expect(prunes.data).toEqual([
        expect.objectContaining({ organization_id: null, actor: { type: 'cli', id: expect.any(String) } }),
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'names an edited record, the record after a deleted one, and a deleted newest record',
    async () => {
      const [edited, gap, tail] = [
        await organizationWithChanges(),
        await organizationWithChanges(),
        await organizationWithChanges(),
      ];
      const [editedIds, gapIds, tailIds] = [
        await chainIds(edited.id),
        await chainIds(gap.id),
        await chainIds(tail.id),
      ];
      await sql.query(`UPDATE audit_records SET after = '{"name": "forged"}' WHERE id = $1`, [editedIds[1]]);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [gapIds[1]]);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [tailIds[2]]);

      const run = await verify();
      expect(run.code).toBe(EXIT_AUDIT_BROKEN);
      expect(run.stdout).toContain(
        `chain ${edited.id} at record ${editedIds[1]} (sequence 2): its content does not match its hash [edited]`,
      );
      expect(run.stdout).toContain(
        `chain ${gap.id} at record ${gapIds[2]} (sequence 3): the record(s) before it are missing (sequence 2) [missing]`,
      );
      expect(run.stdout).toContain(
        `chain ${tail.id} at its head: the chain's newest record(s) are missing (sequence 3) [tail_missing]`,
      );
      expect(run.stderr).toBe('gatehouse: the audit log fails verification: 3 broken chain(s)\n');

      const one = await verify(['--organization', edited.slug, '--json']);
      expect(one.code).toBe(EXIT_AUDIT_BROKEN);
      expect(JSON.parse(one.stdout)).toEqual({
        intact: false,
        chains: [
          expect.objectContaining({
            chainKey: edited.id,
            finding: expect.objectContaining({ kind: 'edited', recordId: editedIds[1], seq: 2 }),
          }),
        ],
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'asks for the server’s key-encryption key, and names an unknown organization',
    async () => {
      const none = await gatehouse(['audit', 'verify'], {
        DATABASE_URL: database.url,
        KEYS_DIR: '/nonexistent',
      });
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/no key-encryption key: set GATEHOUSE_KEK/);
      const unknown = await verify(['--organization', 'no-such-organization']);
      expect(unknown).toMatchObject({
        code: 3,
        stderr: 'gatehouse: organization no-such-organization was not found\n',
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

/** Polls until `read` answers something: the token record is written as the response goes out. */
async function eventually<T>(read: () => Promise<T | undefined>, attempts = 50): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the awaited audit record never appeared');
}
