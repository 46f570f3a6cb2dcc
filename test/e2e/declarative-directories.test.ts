import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyConfigFile } from '../../src/config/declarative/apply-config-file.js';
import { createArgon2Hasher } from '../../src/lib/crypto/password.js';
import { ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import type { ScratchDatabase } from '../support/scratch-database.js';

const TOKEN = `scim-boot-${randomBytes(24).toString('base64url')}`;

const configFile = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'gh-directories-')), 'gatehouse.yaml');
  writeFileSync(
    path,
    [
      'version: 1',
      'organizations:',
      '  maritime_underwriters:',
      '    roles: [{ name: senior_underwriter }]',
      '    directories:',
      '      - id: entra-scim',
      '        type: scim',
      '        group_role_map: { "Underwriting Leads": senior_underwriter }',
      '        token: ${DECLARATIVE_SCIM_TOKEN}',
    ].join('\n'),
  );
  return path;
};

/** A directory declared in GATEHOUSE_CONFIG answers its SCIM endpoint with the token of the file. */
describe('directories of GATEHOUSE_CONFIG', () => {
  let database: ScratchDatabase;
  let gh: TestGatehouse;
  let file: string;

  beforeAll(async () => {
    // Its own database: the file owns every config-managed row of the database it is applied to.
    database = await ownDatabase();
    file = configFile();
    process.env.DECLARATIVE_SCIM_TOKEN = TOKEN;
    gh = await startGatehouse({ DATABASE_URL: database.url, GATEHOUSE_CONFIG: file });
  }, 60_000);
  afterAll(async () => {
    delete process.env.DECLARATIVE_SCIM_TOKEN;
    await gh?.stop();
    await database?.drop();
  });

  const serviceProviderConfig = async (token: string) => {
    const organization = await gh.container.db.organizations.findBySlug('maritime_underwriters');
    const directory = await gh.container.db.directories.find(organization!.id, 'entra-scim');
    return fetch(`${gh.url}/scim/v2/${directory!.id}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
    });
  };

  it('accepts the token of the file, and no other', async () => {
    const accepted = await serviceProviderConfig(TOKEN);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    });
    expect((await serviceProviderConfig(`${TOKEN}x`)).status).toBe(401);
  });

  it('applying the file again changes nothing; a new token in the file replaces the old one', async () => {
    const deps = { db: gh.container.db, envelope: gh.container.envelope, hasher: createArgon2Hasher() };
    const again = await applyConfigFile(file, { ...deps, env: { DECLARATIVE_SCIM_TOKEN: TOKEN } });
    expect(again.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 3 });

    const next = `scim-next-${randomBytes(24).toString('base64url')}`;
    const rotated = await applyConfigFile(file, { ...deps, env: { DECLARATIVE_SCIM_TOKEN: next } });
    expect(rotated.entries.filter((entry) => entry.action !== 'unchanged')).toEqual([
      { kind: 'directory', id: 'maritime_underwriters/entra-scim', action: 'update', changes: ['token'] },
    ]);
    expect((await serviceProviderConfig(next)).status).toBe(200);
    expect((await serviceProviderConfig(TOKEN)).status).toBe(401);
  });
});
