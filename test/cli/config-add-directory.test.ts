import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { parseConfigText } from '../../src/config/declarative/load.js';
import { gatehouseInProcess } from './config-in-process.js';

/** `gatehouse config add-directory` on the file (the admin API side is in config-apply.test.ts). */
describe('gatehouse config add-directory', () => {
  let dir: string;
  let file: string;
  const read = async () => ({
    yaml: await readFile(file, 'utf8'),
    env: await readFile(join(dir, '.env'), 'utf8'),
  });
  const addDirectory = (...args: string[]) =>
    gatehouseInProcess(['config', 'add-directory', '-f', file, '--provider', 'scim', ...args]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-add-directory-'));
    file = join(dir, 'gatehouse.yaml');
    const init = ['init', '--template', 'enterprise-b2b', '--dir', dir, '--issuer', 'https://id.acme.test'];
    expect((await gatehouseInProcess(init)).code).toBe(0);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds the directory with a token reference, writes the token to .env and prints it once', async () => {
    const run = await addDirectory(
      '--organization',
      'acme',
      '--id',
      'entra-scim',
      '--map',
      'Acme Admins=admin',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const token = /bearer token \(shown once, store it in the IdP now\): (gh_scim_[\w-]{43})\n/.exec(
      run.stdout,
    )?.[1];
    expect(token).toBeDefined();
    // Where Gatehouse runs comes from the .env beside the file, loaded or not.
    expect(run.stdout).toContain('SCIM base URL: https://id.acme.test/scim/v2/<directory id>');
    expect(run.stdout).toContain('gatehouse directories list --organization acme');

    const { yaml, env } = await read();
    const directories = (parse(yaml) as { organizations: { acme: { directories: unknown[] } } }).organizations
      .acme.directories;
    expect(directories).toEqual([
      {
        id: 'entra-scim',
        type: 'scim',
        group_role_map: { 'Acme Admins': 'admin' },
        token: '${ACME_ENTRA_SCIM_SCIM_TOKEN}',
      },
    ]);
    expect(yaml).not.toContain(token!);
    expect(yaml).toContain('# SCIM user and group sync');
    const values = parseEnv(env);
    expect(values.ACME_ENTRA_SCIM_SCIM_TOKEN).toBe(token);
    const config = parseConfigText(yaml, 'gatehouse.yaml', values);
    expect(config.organizations[0]!.directories).toEqual([
      { key: 'entra-scim', groupRoleMap: { 'Acme Admins': 'admin' }, token },
    ]);
  });

  it('answers --json with the token and the variable holding it', async () => {
    const run = await addDirectory('--organization', 'acme', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      mode: 'file',
      directory: { id: 'scim', type: 'scim' },
      token_variable: 'ACME_SCIM_SCIM_TOKEN',
      token: expect.stringMatching(/^gh_scim_/),
    });
    expect(parseEnv((await read()).env).ACME_SCIM_SCIM_TOKEN).toBe(result.token);
  });

  it('refuses a duplicate (4), a role the organization does not offer (2), a bad flag (2): nothing written', async () => {
    expect((await addDirectory('--organization', 'acme')).code).toBe(0);
    const before = await read();

    const duplicate = await addDirectory('--organization', 'acme');
    expect(duplicate.code).toBe(4);
    expect(duplicate.stderr).toContain(
      'organizations.acme already has a directory scim: choose another name with --id',
    );

    const unknownRole = await addDirectory(
      '--organization',
      'acme',
      '--id',
      'okta-scim',
      '--map',
      'Leads=lead',
    );
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toMatch(
      /the change would leave .*gatehouse\.yaml invalid, so nothing was written:\n.*:\d+:\d+: .*role lead is not defined by this organization/,
    );

    expect((await addDirectory('--organization', 'acme', '--id', 'x', '--map', 'no-equals')).code).toBe(2);
    expect((await addDirectory('--organization', 'globex')).code).toBe(3);
    const provider = await gatehouseInProcess([
      'config',
      'add-directory',
      '-f',
      file,
      '--provider',
      'ldap',
      '--organization',
      'acme',
    ]);
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain('Allowed choices are scim');
    expect(await read()).toEqual(before);
  });
});
