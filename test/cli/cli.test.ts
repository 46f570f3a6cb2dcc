import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { gatehouse } from './run-gatehouse.js';
import { organizationsExample } from '../support/issue-example.js';

const APP_SECRET = `cli-app-secret-${randomBytes(16).toString('hex')}`;
const ADMIN_PASSWORD = `cli-admin-${randomBytes(8).toString('hex')}`;

const FILE = `version: 1
clients:
  - client_id: cli-app
    client_secret: \${APP_SECRET}
    redirect_uris: ["https://cli.example.test/callback"]
users:
  - email: admin@cli.test
    password: \${ADMIN_PASSWORD}
`;

describe('gatehouse CLI', () => {
  let scratch: ScratchDatabase;
  let dir: string;
  let env: Record<string, string>;
  const file = () => join(dir, 'gatehouse.yaml');

  beforeAll(async () => {
    // A fresh, unmigrated database: `migrate` is under test, and apply owns every config row in it.
    scratch = await createScratchDatabase('gatehouse_cli');
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
    env = {
      DATABASE_URL: scratch.url,
      KEYS_DIR: join(dir, 'keys'),
      GATEHOUSE_KEK: randomBytes(32).toString('base64url'),
      APP_SECRET,
      ADMIN_PASSWORD,
    };
    await writeFile(file(), FILE);
  });
  afterAll(async () => {
    await scratch?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('migrate applies pending migrations once', async () => {
    const first = await gatehouse(['migrate'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^applied \d{14}_init$/m);
    const second = await gatehouse(['migrate'], env);
    expect(second).toMatchObject({ code: 0, stdout: 'The database schema is up to date.\n' });
  }, 60_000);

  it('plan prints the changes without secrets, and writes nothing', async () => {
    const human = await gatehouse(['plan', '-f', file()], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^client\s+cli-app\s+create$/m);
    expect(human.stdout).toMatch(/^user\s+admin@cli\.test\s+create$/m);
    expect(human.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged.');
    const asJson = await gatehouse(['plan', '--json', '-f', file()], env);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ summary: { create: 2 } });
    for (const output of [human.stdout + human.stderr, asJson.stdout]) {
      expect(output).not.toContain(APP_SECRET);
      expect(output).not.toContain(ADMIN_PASSWORD);
    }
  }, 60_000);

  it('apply writes the file, and a second apply changes nothing', async () => {
    const first = await gatehouse(['apply', '-f', file()], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Applied: 2 created, 0 updated, 0 deleted, 0 unchanged.');
    const second = await gatehouse(['apply', '--json', '-f', file()], env);
    expect(JSON.parse(second.stdout).summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
  }, 60_000);

  it('an invalid file exits 2 naming file:line, and nothing is written', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `${FILE}  - email: not-an-email\n`.replace('cli-app', 'cli-app-two'));
    const run = await gatehouse(['apply', '-f', bad], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`gatehouse: ${bad}:9:5: users[1].email: not an email address\n`);
    const plan = await gatehouse(['plan', '--json', '-f', file()], env);
    expect(JSON.parse(plan.stdout).summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
  }, 60_000);

  it('a missing ${VAR} exits 2 naming the variable and line, never a value', async () => {
    const { ADMIN_PASSWORD: _omitted, ...withoutPassword } = env;
    const run = await gatehouse(['plan', '-f', file()], withoutPassword);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`gatehouse: ${file()}:8:15: environment variable ADMIN_PASSWORD is not set\n`);
    expect(run.stderr).not.toContain(APP_SECRET);
  }, 60_000);

  it('keys rotate creates and rotates keys; keys list shows them without private material', async () => {
    const rotate = await gatehouse(['keys', 'rotate'], env);
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toMatch(/^KID\s+ALG\s+STATE\s+CREATED\s+AGE$/m);
    for (const state of ['current', 'next', 'previous'])
      expect(rotate.stdout).toMatch(new RegExp(`\\s(RS256|ES256)\\s+${state}\\s`));
    const list = await gatehouse(['keys', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\sRS256\s+current\s+\S+Z\s+\d+s$/m);
    const asJson = await gatehouse(['keys', 'list', '--json'], env);
    const keys = JSON.parse(asJson.stdout) as Record<string, unknown>[];
    expect(keys.map((key) => key.state).sort()).toEqual([
      'current',
      'current',
      'next',
      'next',
      'previous',
      'previous',
    ]);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual([
      'activatedAt',
      'alg',
      'createdAt',
      'deactivatedAt',
      'kid',
      'state',
    ]);
  }, 60_000);

  it('users create reads the password from stdin', async () => {
    const run = await gatehouse(
      ['users', 'create', '--email', 'Ops@CLI.test', '--name', 'Ops', '--password-stdin'],
      env,
      'ops password\n',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^created user usr_\S+ \(ops@cli\.test\)$/m);
    const again = await gatehouse(['users', 'create', '--email', 'ops@cli.test'], env);
    expect(again).toMatchObject({
      code: 2,
      stderr: 'gatehouse: a user with email ops@cli.test already exists\n',
    });
  }, 60_000);

  it('plan and apply organizations, counting each kind, and orgs show reads the result', async () => {
    const withOrganizations = join(dir, 'organizations.yaml');
    await writeFile(withOrganizations, `${FILE}${organizationsExample().replace('version: 1\n', '')}`);
    const plan = await gatehouse(['plan', '-f', withOrganizations], env);
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toMatch(/^organization\s+marine_cargo\s+create$/m);
    expect(plan.stdout).toMatch(/^domain\s+maritime_underwriters\/uw\.example\s+create$/m);
    expect(plan.stdout).toContain('Plan: 7 to create, 0 to update, 0 to delete, 2 unchanged.\n');
    expect(plan.stdout).toContain(
      '  organizations: 2 to create\n  roles: 3 to create\n  domains: 2 to create\n  clients: 1 unchanged\n  users: 1 unchanged\n',
    );
    const apply = await gatehouse(['apply', '--json', '-f', withOrganizations], env);
    expect(apply.code).toBe(0);
    expect(JSON.parse(apply.stdout).byKind).toMatchObject({
      organization: { create: 2 },
      domain: { create: 2 },
    });
    const show = await gatehouse(['orgs', 'show', 'marine_cargo'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^ {2}managed by: +config$/m);
    expect(show.stdout).toMatch(
      /^ {2}claims_adjuster +view_claims update_claims +no +no +maritime_underwriters$/m,
    );
    expect(show.stdout).toMatch(/^ {2}mfa +required_for_admins +maritime_underwriters +-$/m);
    const again = await gatehouse(['apply', '-f', withOrganizations], env);
    expect(again.stdout).toContain('Applied: 0 created, 0 updated, 0 deleted, 9 unchanged.');
  }, 60_000);

  it('usage errors exit 2 with a gatehouse: message', async () => {
    const run = await gatehouse(['plan'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gatehouse: required option '-f, --file <path>' not specified/);
    expect((await gatehouse(['nonsense'], env)).code).toBe(2);
  }, 60_000);
});
