import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { gatehouse } from './run-gatehouse.js';

const fileFor = (slug: string) => `version: 1
organizations:
  ${slug}:
    roles: [{ name: senior_underwriter }]
    directories:
      - id: entra-scim
        type: scim
        group_role_map: { "Underwriting Leads": senior_underwriter }
        token: \${SCIM_TOKEN}
      - id: okta-scim
`;

/** Directories through the real bin: plan and apply say how to get a token the file does not give. */
describe('gatehouse plan/apply with directories', () => {
  const slug = `maritime-${randomUUID().slice(0, 8)}`;
  const token = `scim-${randomBytes(24).toString('base64url')}`;
  const rotate = `gatehouse directories rotate-token --organization ${slug} --key okta-scim`;
  let scratch: ScratchDatabase;
  let dir: string;
  let env: Record<string, string>;
  const file = () => join(dir, 'gatehouse.yaml');

  beforeAll(async () => {
    // Its own database: apply owns every config-managed row of the database it writes to.
    scratch = await createMigratedDatabase('gatehouse_cli_directories');
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-directories-'));
    env = {
      DATABASE_URL: scratch.url,
      KEYS_DIR: join(dir, 'keys'),
      GATEHOUSE_KEK: randomBytes(32).toString('base64url'),
      ISSUER: 'https://id.example.test',
      SCIM_TOKEN: token,
    };
    await writeFile(file(), fileFor(slug));
  });
  afterAll(async () => {
    await scratch?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plans and applies directories, telling how to get the token nobody knows, never printing one', async () => {
    const plan = await gatehouse(['plan', '-f', file()], env);
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toMatch(new RegExp(`^directory +${slug}/entra-scim +create$`, 'm'));
    expect(plan.stdout).toMatch(new RegExp(`^directory +${slug}/okta-scim +create$`, 'm'));
    expect(plan.stdout).toContain('  directories: 2 to create\n');
    expect(plan.stdout).toContain(`Next steps:\n  directory ${slug}/okta-scim: its token is random`);
    expect(plan.stdout).toContain(`run \`${rotate}\` to get one`);
    expect(plan.stdout).not.toContain(`${slug}/entra-scim: its token`);
    expect(plan.stdout).not.toContain(token);

    const apply = await gatehouse(['apply', '-f', file()], env);
    expect(apply).toMatchObject({ code: 0, stderr: '' });
    expect(apply.stdout).toContain('  directories: 2 created\n');
    expect(apply.stdout).toContain(`run \`${rotate}\``);
    expect(apply.stdout).not.toContain(token);

    const rotated = await gatehouse(rotate.split(' ').slice(1).concat('--json'), env);
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.stdout).token).toMatch(/^gh_scim_/);

    const again = await gatehouse(['apply', '--json', '-f', file()], env);
    expect(JSON.parse(again.stdout).byKind.directory).toEqual({
      create: 0,
      update: 0,
      delete: 0,
      unchanged: 2,
    });
    const changed = await gatehouse(['plan', '-f', file()], { ...env, SCIM_TOKEN: `${token}-next` });
    expect(changed.stdout).toMatch(new RegExp(`^directory +${slug}/entra-scim +update +token$`, 'm'));
    expect(changed.stdout).not.toContain('Next steps');
    expect(changed.stdout).not.toContain(token);
  }, 120_000);
});
