import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';

const dir = mkdtempSync(join(tmpdir(), 'gh-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('GATEHOUSE_CONFIG is applied at boot', () => {
  let gh: TestGatehouse;

  beforeAll(async () => {
    process.env.BOOT_APP_SECRET = 'boot-app-secret-that-is-long-enough-0123456789';
    process.env.BOOT_ADMIN_PASSWORD = 'admin password from env';
    const config = file(
      'gatehouse.yaml',
      [
        'version: 1',
        'clients:',
        '  - client_id: boot-app',
        '    client_secret: ${BOOT_APP_SECRET}',
        `    redirect_uris: ["${REDIRECT_URI}"]`,
        '    scopes: [openid, email]',
        'users:',
        '  - email: Boot.Admin@Example.com',
        '    password: ${BOOT_ADMIN_PASSWORD}',
        '    name: Boot Admin',
      ].join('\n'),
    );
    gh = await startGatehouse({ GATEHOUSE_CONFIG: config });
  });
  afterAll(() => gh.stop());

  it('serves the clients and users of the file', async () => {
    const config = await discover(gh.issuer, 'boot-app', process.env.BOOT_APP_SECRET);
    const { tokens } = await loginWithPassword(config, 'boot.admin@example.com', 'admin password from env', {
      scope: 'openid email',
    });
    const claims = tokens.claims()!;
    expect(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)).toMatchObject({
      email: 'boot.admin@example.com',
    });
  });

  it('refuses to boot on an invalid file and names the line', async () => {
    const bad = file(
      'bad.yaml',
      ['version: 1', 'clients:', '  - client_id: x', '    redirect_uris: [not-a-url]'].join('\n'),
    );
    await expect(startGatehouse({ GATEHOUSE_CONFIG: bad })).rejects.toThrow(/bad\.yaml:(3|4):/);
  });
});
