import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** Each process starts TypeScript from source: seconds each on a busy machine. */
const TIMEOUT_MS = 180_000;

/** `gatehouse audit` through the real bin, on the run's shared database (one organization's chain). */
describe('gatehouse audit commands', () => {
  const slug = `audit-cli-${randomUUID().slice(0, 8)}`;
  let env: Record<string, string>;
  let organizationId: string;

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl(), GATEHOUSE_KEK: randomBytes(32).toString('base64url') };
    const created = await gatehouse(['orgs', 'create', '--slug', slug, '--name', 'Audit', '--json'], env);
    expect(created.code).toBe(0);
    organizationId = (JSON.parse(created.stdout) as { id: string }).id;
  }, TIMEOUT_MS);

  it(
    'lists and exports an organization’s records with filters',
    async () => {
      const listed = await gatehouse(['audit', 'list', '--organization', slug, '--json'], env);
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(listed.stdout)).toEqual([
        expect.objectContaining({
          organization_id: organizationId,
          seq: 1,
          actor: { type: 'cli', id: expect.any(String) },
          action: 'organization.create',
          target: { type: 'organization', id: organizationId },
        }),
      ]);
      const table = await gatehouse(
        ['audit', 'list', '--organization', slug, '--action', 'organization.*'],
        env,
      );
      expect(table.stdout).toMatch(/^ID +AT +ORGANIZATION +ACTOR +ACTION +TARGET\n/);
      expect(table.stdout).toMatch(
        new RegExp(`cli:\\S+ +organization\\.create +organization:${organizationId}\\n$`),
      );

      const exported = await gatehouse(
        ['audit', 'export', '--organization', slug, '--from', '2000-01-01T00:00:00Z'],
        env,
      );
      expect(exported.code).toBe(0);
      const lines = exported.stdout.split('\n');
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[0]!)).toEqual(JSON.parse(listed.stdout)[0]);
      const none = await gatehouse(['audit', 'list', '--organization', slug, '--actor-type', 'api_key'], env);
      expect(none.stdout).toBe('No audit records match.\n');
    },
    TIMEOUT_MS,
  );

  it(
    'verifies the chain with the key that sealed it, and not with another',
    async () => {
      const intact = await gatehouse(['audit', 'verify', '--organization', slug], env);
      expect(intact).toEqual({ code: 0, stdout: 'intact: 1 chain(s), 1 record(s) checked\n', stderr: '' });
      const otherKey = { ...env, GATEHOUSE_KEK: randomBytes(32).toString('base64url') };
      const broken = await gatehouse(['audit', 'verify', '--organization', organizationId], otherKey);
      expect(broken.code).toBe(6);
      expect(broken.stdout).toContain(`BROKEN  chain ${organizationId} at record `);
      expect(broken.stdout).toContain('another key-encryption key than the server');
    },
    TIMEOUT_MS,
  );

  it(
    'refuses malformed options with exit code 2, and prunes nothing younger than the cutoff',
    async () => {
      const from = await gatehouse(['audit', 'list', '--from', 'yesterday'], env);
      expect(from.code).toBe(2);
      expect(from.stderr).toMatch(/^gatehouse: --from: /);
      expect((await gatehouse(['audit', 'list', '--limit', '0'], env)).code).toBe(2);
      const keepAll = await gatehouse(['audit', 'prune'], env);
      expect(keepAll.code).toBe(2);
      expect(keepAll.stderr).toMatch(/AUDIT_RETENTION_DAYS is 0/);
      expect((await gatehouse(['audit', 'prune', '--before', '2999-01-01T00:00:00Z'], env)).code).toBe(2);
      const nothing = await gatehouse(['audit', 'prune', '--older-than-days', '36500', '--json'], env);
      expect(nothing.code).toBe(0);
      expect(JSON.parse(nothing.stdout)).toMatchObject({ deleted: 0, chains: [], broken: [] });
    },
    TIMEOUT_MS,
  );
});
