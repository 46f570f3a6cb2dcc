import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { freePort } from '../support/free-port.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { samlIdpCertificate, SAML_IDP_ENTITY_ID } from '../support/saml-partner.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';
import { gatehouseInProcess } from './config-in-process.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECRET = 'apply-secret-0123456789abcdef0123456789';

/** `--apply`: the same commands, made through the admin API of a running Gatehouse. */
describe('gatehouse config add-sso / add-directory --apply', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let key: string;
  let dir: string;
  let certificateFile: string;
  const domain = () => `${randomUUID().slice(0, 8)}.apply.test`;
  const oidc = [
    '--issuer',
    'https://login.microsoftonline.com/t/v2.0',
    '--client-id',
    'app',
    '--client-secret',
    SECRET,
  ];
  const apply = (...args: string[]) =>
    gatehouseInProcess(['config', ...args, '--apply', '--admin-url', gh.url]);

  beforeAll(async () => {
    gh = await startGatehouse();
    key = await adminKey(gh);
    api = adminApi(gh, key);
    process.env.GATEHOUSE_ADMIN_KEY = key;
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-apply-'));
    certificateFile = join(dir, 'idp.pem');
    await writeFile(certificateFile, samlIdpCertificate());
  });
  afterAll(async () => {
    delete process.env.GATEHOUSE_ADMIN_KEY;
    await gh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds an OIDC connection, claims the domain and routes it; routing then sends the domain there', async () => {
    const org = await createOrganization(gh, 'Apply OIDC');
    const claimed = domain();
    const run = await apply(
      'add-sso',
      '--organization',
      org.slug,
      '--provider',
      'azure-ad',
      '--domain',
      claimed,
      ...oidc,
      '--json',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`- reading organization ${org.slug} at ${gh.url}\n`);
    expect(run.stderr).toContain('- adding connection azure-ad\n');
    expect(run.stderr).toContain(`- routing ${claimed} to azure-ad (priority 1)\n`);
    const result = JSON.parse(run.stdout);
    const connection = await api.expect(200, `/organizations/${org.id}/connections/azure-ad`);
    expect(connection).toMatchObject({
      preset: 'azure-ad',
      has_client_secret: true,
      attribute_map: { oid: 'entra_object_id' },
    });
    expect(result).toMatchObject({
      mode: 'api',
      connection: { id: connection.id, key: 'azure-ad' },
      domain_added: true,
      domain_verified: true,
      idp_registration: { redirect_uri: `${gh.issuer}/sso/oidc/${connection.id}/callback` },
    });
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(await api.expect(200, `/organizations/${org.id}/routing`)).toEqual({
      rules: [{ domain: claimed, connection: 'azure-ad', priority: 1 }],
      fallback_connection: null,
    });
    const explained = await api.expect(
      200,
      `/routing/explain?email=${encodeURIComponent(`jane@${claimed}`)}`,
    );
    expect(explained.decision).toMatchObject({ kind: 'connection', connection: { key: 'azure-ad' } });
  });

  it('answers a SAML connection with what to register at the IdP', async () => {
    const org = await createOrganization(gh, 'Apply SAML');
    const run = await apply(
      'add-sso',
      '--organization',
      org.slug,
      '--provider',
      'adfs',
      '--domain',
      domain(),
      '--saml-endpoint',
      'https://adfs.apply.test/adfs/ls/',
      '--saml-entity-id',
      SAML_IDP_ENTITY_ID,
      '--certificate-path',
      certificateFile,
    );
    expect(run.code).toBe(0);
    const { id } = await api.expect(200, `/organizations/${org.id}/connections/adfs`);
    expect(run.stdout).toContain(`  acs_url         ${gh.issuer}/sso/saml/${id}/acs\n`);
    expect(run.stdout).toContain(`  sp_entity_id    ${gh.issuer}/sso/saml/${id}\n`);
    expect(run.stdout).toContain('  name_id_format  urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\n');
  });

  it('undoes the connection when the domain belongs to another organization (exit 4)', async () => {
    const org = await createOrganization(gh, 'Apply Undo');
    const other = await createOrganization(gh, 'Apply Owner');
    const taken = domain();
    await gh.container.admin.domains.add(OPERATOR, other.id, { domain: taken, verified: true });
    const run = await apply(
      'add-sso',
      '--organization',
      org.slug,
      '--provider',
      'oidc',
      '--domain',
      taken,
      ...oidc,
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${taken} is already verified by another organization`);
    expect(run.stderr).toContain('- undoing: removing connection oidc\n');
    expect((await api.expect(200, `/organizations/${org.id}/connections`)).data).toEqual([]);
    expect((await api.expect(200, `/organizations/${org.id}/routing`)).rules).toEqual([]);
  });

  it('refuses before writing anything: a taken key or rule (4), no such organization (3)', async () => {
    const org = await createOrganization(gh, 'Apply Twice');
    const first = domain();
    expect(
      (await apply('add-sso', '--organization', org.slug, '--provider', 'oidc', '--domain', first, ...oidc))
        .code,
    ).toBe(0);
    const again = await apply(
      'add-sso',
      '--organization',
      org.slug,
      '--provider',
      'oidc',
      '--domain',
      domain(),
      ...oidc,
    );
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(
      `${org.slug} already has a connection oidc: choose another name with --id`,
    );
    const rule = await apply(
      'add-sso',
      '--organization',
      org.slug,
      '--provider',
      'oidc',
      '--id',
      'two',
      '--domain',
      first,
      ...oidc,
    );
    expect(rule.code).toBe(4);
    expect(rule.stderr).toContain(`already routes ${first} to connection oidc`);
    expect((await api.expect(200, `/organizations/${org.id}/connections`)).data).toHaveLength(1);

    const missing = await apply(
      'add-sso',
      '--organization',
      'no-such-org',
      '--provider',
      'oidc',
      '--domain',
      domain(),
      ...oidc,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('organization no-such-org does not exist at');
  });

  it('says what is missing: a key (2), a valid key (5), a running Gatehouse (1), the client secret (2)', async () => {
    const args = [
      'add-sso',
      '--organization',
      'anything',
      '--provider',
      'oidc',
      '--domain',
      domain(),
      ...oidc,
    ];
    delete process.env.GATEHOUSE_ADMIN_KEY;
    try {
      const noKey = await apply(...args);
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('set GATEHOUSE_ADMIN_KEY to an environment admin API key');
      process.env.GATEHOUSE_ADMIN_KEY = 'gh_not-a-real-key';
      const wrongKey = await apply(...args);
      expect(wrongKey.code).toBe(5);
      expect(wrongKey.stderr).toContain('401 The API key is not valid');
    } finally {
      process.env.GATEHOUSE_ADMIN_KEY = key;
    }
    const port = await freePort();
    const down = await gatehouseInProcess([
      'config',
      ...args,
      '--apply',
      '--admin-url',
      `http://127.0.0.1:${port}`,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach the admin API at http://127.0.0.1:${port}`);
    const noSecret = await apply(...args.slice(0, -2));
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('--apply sends the connection to Gatehouse now: give --client-secret');
  });

  it('add-directory prints the SCIM base URL and a token that opens the directory', async () => {
    const org = await createOrganization(gh, 'Apply SCIM', { roles: [{ name: 'lead', permissions: ['*'] }] });
    const run = await apply(
      'add-directory',
      '--provider',
      'scim',
      '--organization',
      org.slug,
      '--map',
      'Leads=lead',
    );
    expect(run.code).toBe(0);
    const url = /^SCIM base URL: (\S+)$/m.exec(run.stdout)?.[1];
    const token = /^bearer token \(shown once, store it in the IdP now\): (\S+)$/m.exec(run.stdout)?.[1];
    expect(url).toMatch(new RegExp(`^${gh.issuer}/scim/v2/dir_`));
    const users = await fetch(`${url}/Users`, { headers: { Authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    const directory = await api.expect(200, `/organizations/${org.id}/directories/scim`);
    expect(directory.group_role_map).toEqual({ Leads: 'lead' });

    const duplicate = await apply('add-directory', '--provider', 'scim', '--organization', org.slug);
    expect(duplicate.code).toBe(4);
  });
});
