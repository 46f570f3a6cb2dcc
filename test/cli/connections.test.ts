import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { connectionSecretContext } from '../../src/domain/organizations/connections-admin.js';
import { createEnvelope } from '../../src/lib/crypto/envelope.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** `gatehouse connections` through the real bin: files with ${ENV} secrets, exit codes, no secret echoed. */
describe('gatehouse connections', () => {
  const slug = `sso-cli-${randomUUID().slice(0, 8)}`;
  const kek = randomBytes(32).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'gh-connections-'));
  const secret = `s3cret-${randomUUID()}`;
  let env: Record<string, string>;
  let db: OpenedDatabase;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl(), GATEHOUSE_KEK: kek, PARTNER_SECRET: secret };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
    expect((await gatehouse(['orgs', 'create', '--slug', slug, '--name', 'SSO CLI'], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('adds, lists, shows, updates, disables and removes a connection; the secret comes from the environment', async () => {
    const path = file(
      'azure.yaml',
      'key: azure\ntype: oidc\npreset: azure-ad\nissuer: https://login.example.test/tenant/v2.0\n' +
        'client_id: app-123\nclient_secret: ${PARTNER_SECRET}\n',
    );
    const added = await gatehouse(
      ['connections', 'add', '--organization', slug, '--file', path, '--json'],
      env,
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).not.toContain(secret);
    const view = JSON.parse(added.stdout) as { id: string; hasClientSecret: boolean; settings: object };
    expect(view).toMatchObject({ hasClientSecret: true, settings: { client_id: 'app-123' } });
    const stored = await db.connections.findById(view.id);
    expect(
      createEnvelope(Buffer.from(kek, 'base64url')).open(
        stored!.secretCiphertext!,
        connectionSecretContext(view.id),
      ),
    ).toBe(secret);

    const list = await gatehouse(['connections', 'list', '--organization', slug], env);
    expect(list.stdout).toMatch(new RegExp(`^azure +${view.id} +oidc +enabled`, 'm'));

    const update = file('scopes.yaml', 'scopes: [openid, email]\n');
    const updated = await gatehouse(
      ['connections', 'update', '--organization', slug, '--key', 'azure', '--file', update, '--json'],
      env,
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({ settings: { scopes: ['openid', 'email'] } });

    expect(
      (await gatehouse(['connections', 'disable', '--organization', slug, '--key', 'azure'], env)).stdout,
    ).toBe('azure is disabled\n');
    const shown = await gatehouse(['connections', 'show', '--organization', slug, '--key', 'azure'], env);
    expect(shown.stdout).toMatch(/^azure \(con_\S+\): oidc azure-ad, disabled$/m);
    expect(shown.stdout).not.toContain(secret);

    expect(
      (await gatehouse(['connections', 'remove', '--organization', slug, '--key', 'azure'], env)).code,
    ).toBe(0);
    expect(await db.connections.findById(view.id)).toBeUndefined();
  }, 120_000);

  it('answers bad input with exit code 2 and a message naming the member, and unknown ones with 3', async () => {
    const missingVariable = file(
      'missing.yaml',
      'key: x\ntype: oidc\nissuer: https://a.test\nclient_id: c\nclient_secret: ${NOT_SET}\n',
    );
    const noVariable = await gatehouse(
      ['connections', 'add', '--organization', slug, '--file', missingVariable],
      env,
    );
    expect(noVariable.code).toBe(2);
    expect(noVariable.stderr).toContain('NOT_SET');

    const plainHttp = file(
      'http.yaml',
      'key: y\ntype: oidc\nissuer: http://idp.example.test\nclient_id: c\nclient_secret: x\n',
    );
    const insecure = await gatehouse(
      ['connections', 'add', '--organization', slug, '--file', plainHttp],
      env,
    );
    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain('issuer');

    const unknown = await gatehouse(['connections', 'show', '--organization', slug, '--key', 'nope'], env);
    expect(unknown.code).toBe(3);
  }, 120_000);
});
