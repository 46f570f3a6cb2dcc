import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TEMPLATE_NAMES } from '../../src/cli/templates/index.js';
import { parseConfigText } from '../../src/config/declarative/load.js';
import { parseEnv as parseGatehouseEnv } from '../../src/config/env.js';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { gatehouseInProcess } from './config-in-process.js';
import { gatehouse } from './run-gatehouse.js';

const envValues = async (dir: string) =>
  parseEnv(await readFile(join(dir, '.env'), 'utf8')) as Record<string, string>;

/** Every `${NAME}` a file references outside its comments. */
const references = (text: string) =>
  [...text.replace(/^\s*#.*$/gm, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);

describe('gatehouse init', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-init-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(TEMPLATE_NAMES)(
    '%s: a commented file the declarative schema accepts with the .env written beside it',
    async (name) => {
      const run = await gatehouseInProcess(['init', '--template', name, '--dir', dir, '--json']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const result = JSON.parse(run.stdout);
      expect(result).toMatchObject({ template: name, files: { config: join(dir, 'gatehouse.yaml') } });
      expect(result.generated).toEqual(expect.arrayContaining(['GATEHOUSE_KEK', 'COOKIE_KEYS']));

      const yaml = await readFile(join(dir, 'gatehouse.yaml'), 'utf8');
      expect(yaml).toMatch(/^# Gatehouse declarative config: /);
      const env = await envValues(dir);
      // Secrets are references the .env sets, never inline values.
      expect(references(yaml).length).toBeGreaterThan(0);
      for (const name of references(yaml)) {
        expect(env[name]).toBeDefined();
        expect(yaml).not.toContain(env[name]!);
      }
      const config = parseConfigText(yaml, 'gatehouse.yaml', env);
      expect(config.organizations.length).toBeGreaterThan(0);
      // The keys are what the server accepts at boot.
      const boot = parseGatehouseEnv({ ...env, NODE_ENV: 'production' });
      expect(boot.GATEHOUSE_KEK && Buffer.from(boot.GATEHOUSE_KEK, 'base64url')).toHaveLength(32);
      expect(boot.COOKIE_KEYS?.[0]?.length).toBeGreaterThanOrEqual(32);
      expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    },
  );

  it('refuses to overwrite (exit 4, nothing written); --force replaces the file and keeps the keys', async () => {
    expect((await gatehouseInProcess(['init', '--template', 'saas-starter', '--dir', dir])).code).toBe(0);
    const before = await envValues(dir);
    await writeFile(join(dir, 'gatehouse.yaml'), '# my own edits\nversion: 1\n');

    const refused = await gatehouseInProcess(['init', '--template', 'enterprise-b2b', '--dir', dir]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('already exist');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(join(dir, 'gatehouse.yaml'), 'utf8')).toBe('# my own edits\nversion: 1\n');

    const forced = await gatehouseInProcess([
      'init',
      '--template',
      'enterprise-b2b',
      '--dir',
      dir,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Kept from the existing .env: GATEHOUSE_KEK, COOKIE_KEYS');
    expect(await readFile(join(dir, 'gatehouse.yaml'), 'utf8')).toContain('enterprise B2B');
    const after = await envValues(dir);
    expect(after.GATEHOUSE_KEK).toBe(before.GATEHOUSE_KEK);
    expect(after.COOKIE_KEYS).toBe(before.COOKIE_KEYS);
    expect(after.WEB_APP_CLIENT_SECRET).toHaveLength(43);
  });

  it('a .env alone also stops it: an operator’s existing keys are never replaced silently', async () => {
    await writeFile(join(dir, '.env'), 'GATEHOUSE_KEK=keep-me\n');
    const refused = await gatehouseInProcess(['init', '--template', 'partner-network', '--dir', dir]);
    expect(refused.code).toBe(4);
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('GATEHOUSE_KEK=keep-me\n');
  });

  it('writes the issuer given, and refuses one that is not an http(s) URL (exit 2)', async () => {
    const run = await gatehouseInProcess([
      'init',
      '--template',
      'enterprise-b2b',
      '--dir',
      dir,
      '--issuer',
      'https://id.example.com/',
    ]);
    expect(run.code).toBe(0);
    expect((await envValues(dir)).ISSUER).toBe('https://id.example.com');
    const bad = await gatehouseInProcess([
      'init',
      '--template',
      'saas-starter',
      '--dir',
      `${dir}/b`,
      '--issuer',
      'ftp://x',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--issuer: ftp://x is not an http(s) URL');
  });

  it('an unknown or missing template is a usage error (exit 2) listing the choices', async () => {
    const unknown = await gatehouseInProcess(['init', '--template', 'enterprise', '--dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('enterprise-b2b, saas-starter, partner-network');
    expect((await gatehouseInProcess(['init', '--dir', dir])).code).toBe(2);
    const help = await gatehouseInProcess(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('partner-network');
  });
});

/** `gatehouse plan -f` through the real bin, on a real database, with each template's .env loaded. */
describe('gatehouse plan accepts every template as written', () => {
  let database: ScratchDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createMigratedDatabase('gatehouse_init');
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-init-plan-'));
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(TEMPLATE_NAMES)(
    '%s',
    async (name) => {
      const into = join(dir, name);
      expect((await gatehouseInProcess(['init', '--template', name, '--dir', into])).code).toBe(0);
      const env = { ...(await envValues(into)), DATABASE_URL: database.url };
      const plan = await gatehouse(['plan', '--json', '-f', join(into, 'gatehouse.yaml')], env);
      expect(plan).toMatchObject({ code: 0, stderr: '' });
      const { summary } = JSON.parse(plan.stdout);
      expect(summary.create).toBeGreaterThan(3);
      expect(summary).toMatchObject({ update: 0, delete: 0 });
    },
    120_000,
  );
});
