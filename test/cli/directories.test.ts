import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { digestBearerToken } from '../../src/lib/crypto/bearer-token.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse directories` through the real bin: create (token once), list, rotate-token, delete. */
describe('gatehouse directories', () => {
  const slug = `scim-cli-${randomUUID().slice(0, 8)}`;
  let env: Record<string, string>;
  let db: OpenedDatabase;

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl(), ISSUER: 'https://id.example.test' };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    expect((await gatehouse(['orgs', 'create', '--slug', slug, '--name', 'SCIM CLI'], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('creates a directory and prints its base URL and token once; rotating replaces the token', async () => {
    const created = await gatehouse(
      ['directories', 'create', '--organization', slug, '--key', 'entra-scim'],
      env,
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const id = /directory entra-scim \((dir_[\w-]+)\)/.exec(created.stdout)![1]!;
    expect(created.stdout).toContain(`SCIM base URL: https://id.example.test/scim/v2/${id}\n`);
    const token = /bearer token \(shown once, store it in the IdP now\): (gh_scim_[\w-]+)/.exec(
      created.stdout,
    )![1]!;
    expect((await db.directories.findByTokenHash(digestBearerToken(token)))?.id).toBe(id);

    const list = await gatehouse(['directories', 'list', '--organization', slug], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^entra-scim +${id} +org_\\S+ +gh_scim_\\S{4}… +0 +\\S+Z$`, 'm'));
    expect(list.stdout).not.toContain(token);

    const rotated = await gatehouse(
      ['directories', 'rotate-token', '--organization', slug, '--key', 'entra-scim', '--json'],
      env,
    );
    expect(rotated.code).toBe(0);
    const fresh = (JSON.parse(rotated.stdout) as { token: string }).token;
    expect(fresh).not.toBe(token);
    expect(await db.directories.findByTokenHash(digestBearerToken(token))).toBeUndefined();
    expect((await db.directories.findByTokenHash(digestBearerToken(fresh)))?.id).toBe(id);

    const again = await gatehouse(
      ['directories', 'create', '--organization', slug, '--key', 'entra-scim'],
      env,
    );
    expect(again.code).toBe(4);
    expect(
      (await gatehouse(['directories', 'delete', '--organization', slug, '--key', 'entra-scim'], env)).code,
    ).toBe(0);
    expect(await db.directories.findById(id)).toBeUndefined();
  }, 60_000);

  it('refuses a group-to-role map naming a role the organization does not offer', async () => {
    const refused = await gatehouse(
      ['directories', 'create', '--organization', slug, '--key', 'okta', '--map', 'Leads=no_such_role'],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('unknown role no_such_role');
  }, 60_000);
});
