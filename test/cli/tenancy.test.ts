import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { ENVIRONMENT_SCOPE } from '../../src/domain/organizations/admin-principal.js';
import { createRolesAdmin } from '../../src/domain/organizations/roles-admin.js';
import { testDatabaseUrl } from '../support/services.js';
import { gatehouse } from './run-gatehouse.js';

/** orgs, members, domains and api-keys through the real bin, on the run's shared database. */
describe('gatehouse tenancy commands', () => {
  const id = randomUUID().slice(0, 8);
  const parent = `acme-${id}`;
  const child = `acme-eu-${id}`;
  const email = `alice-${id}@acme.test`;
  let env: Record<string, string>;
  let db: OpenedDatabase;

  beforeAll(async () => {
    env = { DATABASE_URL: testDatabaseUrl() };
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: '/nonexistent' });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('orgs create, list and show (with inherited roles), with --json and error exit codes', async () => {
    const created = await gatehouse(['orgs', 'create', '--slug', parent, '--name', 'Acme'], env);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(new RegExp(`^created organization ${parent} \\(org_\\S+\\)\\n$`));
    const sub = await gatehouse(
      ['orgs', 'create', '--slug', child, '--name', 'Acme EU', '--parent', parent, '--json'],
      env,
    );
    expect(sub.code).toBe(0);
    const subRecord = JSON.parse(sub.stdout) as { id: string; parentId: string; slug: string };
    expect(subRecord).toMatchObject({ slug: child, status: 'active', managedBy: null });

    await createRolesAdmin(db).create(
      { actor: { type: 'cli', id: 'test' }, scope: ENVIRONMENT_SCOPE },
      parent,
      {
        name: 'viewer',
        permissions: ['read'],
        admin: false,
        overridable: false,
      },
    );

    const list = await gatehouse(['orgs', 'list', '--parent', parent, '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: subRecord.id, slug: child, parentSlug: parent }),
    ]);
    const table = await gatehouse(['orgs', 'list'], env);
    expect(table.stdout).toMatch(new RegExp(`^${child} +Acme EU +${parent} +active +- +org_`, 'm'));

    const show = await gatehouse(['orgs', 'show', child], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^ {2}parent: +${parent}$`, 'm'));
    expect(show.stdout).toMatch(new RegExp(`^ {2}viewer +read +no +no +${parent}$`, 'm'));
    const shown = JSON.parse((await gatehouse(['orgs', 'show', child, '--json'], env)).stdout);
    expect(shown.organization.slug).toBe(child);
    expect(shown.effective.roles).toEqual([expect.objectContaining({ name: 'viewer', inherited: true })]);

    expect(await gatehouse(['orgs', 'show', `missing-${id}`], env)).toMatchObject({
      code: 3,
      stdout: '',
      stderr: `gatehouse: organization missing-${id} was not found\n`,
    });
    expect(await gatehouse(['orgs', 'create', '--slug', parent, '--name', 'Again'], env)).toMatchObject({
      code: 4,
      stderr: `gatehouse: organization slug "${parent}" is already taken\n`,
    });
    const bad = await gatehouse(['orgs', 'create', '--slug', 'Not A Slug', '--name', 'x'], env);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'gatehouse: --slug: lower-case letters, digits, _ and - (2 to 63)\n',
    });
  }, 150_000);

  it('members add, list and remove', async () => {
    expect((await gatehouse(['users', 'create', '--email', email], env)).code).toBe(0);
    const added = await gatehouse(
      ['members', 'add', '--organization', child, '--user', email, '--role', 'viewer', '--json'],
      env,
    );
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ roles: ['viewer'], status: 'active' });
    const again = await gatehouse(['members', 'add', '--organization', child, '--user', email], env);
    expect(again).toMatchObject({
      code: 4,
      stderr: 'gatehouse: the user is already a member of this organization\n',
    });
    const unknownRole = await gatehouse(
      ['members', 'add', '--organization', parent, '--user', email, '--role', 'nope'],
      env,
    );
    expect(unknownRole).toMatchObject({
      code: 2,
      stderr: 'gatehouse: unknown role nope for this organization\n',
    });
    const unknownUser = await gatehouse(
      ['members', 'add', '--organization', parent, '--user', `nobody-${id}@acme.test`],
      env,
    );
    expect(unknownUser.code).toBe(3);

    const list = await gatehouse(['members', 'list', '--organization', child], env);
    expect(list.stdout).toMatch(
      new RegExp(`^USER +STATUS +ROLES +SINCE +USER ID\\n${email} +active +viewer `),
    );
    const listed = JSON.parse(
      (await gatehouse(['members', 'list', '--organization', child, '--json'], env)).stdout,
    );
    expect(listed).toEqual([expect.objectContaining({ email, roles: ['viewer'] })]);

    const removed = await gatehouse(['members', 'remove', '--organization', child, '--user', email], env);
    expect(removed).toMatchObject({ code: 0, stdout: `removed ${email} from ${child}\n` });
    expect(
      await gatehouse(['members', 'remove', '--organization', child, '--user', email], env),
    ).toMatchObject({
      code: 3,
      stderr: `gatehouse: membership of ${email} was not found\n`,
    });
  }, 150_000);

  it('domains add (with the TXT record to publish), list, and a failed DNS verify', async () => {
    const pending = `${id}.acme.invalid`;
    const add = await gatehouse(['domains', 'add', '--organization', parent, '--domain', pending], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`added ${pending} to ${parent}, pending verification.`);
    expect(add.stdout).toMatch(new RegExp(`^ {2}name: +_gatehouse-challenge\\.${id}\\.acme\\.invalid$`, 'm'));
    const token = /^ {2}value: +(gatehouse-verification=\S+)$/m.exec(add.stdout)?.[1];
    expect(token).toBeDefined();

    const attested = await gatehouse(
      ['domains', 'add', '--organization', parent, '--domain', `*.${id}.acme.test`, '--verified', '--json'],
      env,
    );
    expect(JSON.parse(attested.stdout)).toMatchObject({
      domain: `*.${id}.acme.test`,
      verificationMethod: 'operator',
    });

    const list = JSON.parse(
      (await gatehouse(['domains', 'list', '--organization', parent, '--json'], env)).stdout,
    );
    expect(list).toEqual([
      expect.objectContaining({ domain: `*.${id}.acme.test`, verificationMethod: 'operator' }),
      expect.objectContaining({
        domain: pending,
        verifiedAt: null,
        txtRecord: { name: `_gatehouse-challenge.${pending}`, value: token },
      }),
    ]);

    // No zone publishes the record (and tests have no network): the check fails, saying what to publish.
    const verify = await gatehouse(['domains', 'verify', '--organization', parent, '--domain', pending], env);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toBe('');
    expect(verify.stderr).toContain(`gatehouse: ${pending} is not verified: `);
    expect(verify.stderr).toContain(
      `Publish a TXT record at _gatehouse-challenge.${pending} with the value ${token}`,
    );

    const missing = await gatehouse(
      ['domains', 'verify', '--organization', parent, '--domain', 'none.example'],
      env,
    );
    expect(missing).toMatchObject({ code: 3, stderr: 'gatehouse: domain none.example was not found\n' });
    const operator = await gatehouse(
      ['domains', 'verify', '--organization', parent, '--domain', pending, '--operator'],
      env,
    );
    expect(operator).toMatchObject({ code: 0 });
    expect(operator.stdout).toMatch(
      new RegExp(`^${pending.replace(/\./g, '\\.')} is verified for ${parent} \\(operator, `),
    );
  }, 150_000);

  it('api-keys create prints the key once; list never shows it; revoke', async () => {
    const human = await gatehouse(
      ['api-keys', 'create', '--name', `ci-${id}`, '--organization', parent],
      env,
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^created API key key_\\S+ \\(ci-${id}\\) for organization ${parent}\\n\\n {2}gh_\\S+\\n`),
    );
    expect(human.stderr).toBe('Copy the key now: Gatehouse keeps only its hash and cannot show it again.\n');

    const created = await gatehouse(
      ['api-keys', 'create', '--name', `deploy-${id}`, '--expires-in-days', '30', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const record = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(record).toMatchObject({
      name: `deploy-${id}`,
      organizationId: null,
      access: 'read_write',
      createdBy: expect.stringMatching(/^cli:/),
    });
    const reader = await gatehouse(['api-keys', 'create', '--name', `report-${id}`, '--read-only'], env);
    expect(reader.stdout).toMatch(
      new RegExp(`^created read-only API key key_\\S+ \\(report-${id}\\) for the whole environment\\n`),
    );
    expect(record.key).toMatch(/^gh_[A-Za-z0-9_-]{43}$/);
    expect(record).not.toHaveProperty('secretHash');
    const expires = new Date(record.expiresAt as string).getTime();
    expect(Math.abs(expires - Date.now() - 30 * 86_400_000)).toBeLessThan(120_000);

    expect((await gatehouse(['api-keys', 'revoke', record.id as string], env)).stdout).toBe(
      `revoked API key ${record.id as string}\n`,
    );
    const list = await gatehouse(['api-keys', 'list', '--json'], env);
    const mine = (JSON.parse(list.stdout) as Record<string, unknown>[]).filter((key) =>
      String(key.name).endsWith(id),
    );
    expect(mine.map((key) => [key.name, key.organizationSlug, key.revokedAt === null])).toEqual(
      expect.arrayContaining([
        [`ci-${id}`, parent, true],
        [`deploy-${id}`, null, false],
        [`report-${id}`, null, true],
      ]),
    );
    expect(mine.find((key) => key.name === `report-${id}`)?.access).toBe('read_only');
    expect(list.stdout).not.toContain(record.key as string);
    expect(list.stdout).not.toContain('secretHash');
    const table = await gatehouse(['api-keys', 'list'], env);
    expect(table.stdout).toMatch(
      new RegExp(`^${record.id as string} +deploy-${id} +environment +read, write +revoked `, 'm'),
    );
    expect(table.stdout).toMatch(new RegExp(`^key_\\S+ +report-${id} +environment +read +active `, 'm'));

    expect(await gatehouse(['api-keys', 'revoke', 'key_missing'], env)).toMatchObject({
      code: 3,
      stderr: 'gatehouse: api key key_missing was not found\n',
    });
    expect(
      (await gatehouse(['api-keys', 'create', '--name', 'x', '--expires-in-days', 'soon'], env)).code,
    ).toBe(2);
  }, 150_000);

  it('every new command has help', async () => {
    for (const command of ['orgs', 'members', 'domains', 'api-keys']) {
      const help = await gatehouse([command, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Commands:/);
    }
    const help = await gatehouse(['members', 'add', '--help'], env);
    expect(help.stdout).toContain('--role <name>');
    expect(help.stdout).toContain('Example:');
  }, 60_000);
});
