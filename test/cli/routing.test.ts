import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { gatehouse } from './run-gatehouse.js';

const fileFor = (slug: string, domain: string, okta = 2) => `version: 1
organizations:
  ${slug}:
    domains: [${domain}, "*.uw.${domain}"]
    connections:
      - { id: azure, type: oidc, issuer: "https://azure.example.test", client_id: gh, client_secret: s }
      - { id: legacy-okta, type: oidc, issuer: "https://okta.example.test", client_id: gh, client_secret: s }
    routing:
      rules:
        - { domain: ${domain}, connection: azure, priority: 1 }
        - { domain: "*.uw.${domain}", connection: legacy-okta, priority: ${okta} }
      fallback_connection: azure
`;

/** Routing through the real bin: plan and apply the file, show the rules, explain decisions. */
describe('gatehouse routing commands', () => {
  const id = randomUUID().slice(0, 8);
  const slug = `maritime-${id}`;
  const domain = `underwriters-${id}.example`;
  let scratch: ScratchDatabase;
  let dir: string;
  let env: Record<string, string>;
  const file = () => join(dir, 'gatehouse.yaml');

  beforeAll(async () => {
    // Its own database: apply owns every config-managed row of the database it writes to.
    scratch = await createMigratedDatabase('gatehouse_cli_routing');
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-routing-'));
    env = {
      DATABASE_URL: scratch.url,
      KEYS_DIR: join(dir, 'keys'),
      GATEHOUSE_KEK: randomBytes(32).toString('base64url'),
    };
    await writeFile(file(), fileFor(slug, domain));
  });
  afterAll(async () => {
    await scratch?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plans and applies routing, and a second plan shows it unchanged', async () => {
    const plan = await gatehouse(['plan', '-f', file()], env);
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toMatch(new RegExp(`^routing +${slug} +create +rules, fallback_connection$`, 'm'));
    expect(plan.stdout).toContain('  routing: 1 to create\n');
    expect(await gatehouse(['apply', '-f', file()], env)).toMatchObject({ code: 0, stderr: '' });
    const again = await gatehouse(['plan', '-f', file()], env);
    expect(again.stdout).toMatch(new RegExp(`^routing +${slug} +unchanged$`, 'm'));
    await writeFile(join(dir, 'changed.yaml'), fileFor(slug, domain, 0));
    const changed = await gatehouse(['plan', '-f', join(dir, 'changed.yaml')], env);
    expect(changed.stdout).toMatch(new RegExp(`^routing +${slug} +update +rules$`, 'm'));
  }, 120_000);

  it('orgs routing shows the rules in order with the fallback', async () => {
    const shown = await gatehouse(['orgs', 'routing', slug], env);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toMatch(new RegExp(`^ {2}#1 +${domain} +1 +azure$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^ {2}#2 +\\*\\.uw\\.${domain} +2 +legacy-okta$`, 'm'));
    expect(shown.stdout).toContain('Fallback connection: azure\n');
    const asJson = JSON.parse((await gatehouse(['orgs', 'routing', slug, '--json'], env)).stdout);
    expect(asJson).toEqual({
      rules: [
        { domain, connection: 'azure', priority: 1 },
        { domain: `*.uw.${domain}`, connection: 'legacy-okta', priority: 2 },
      ],
      fallback_connection: 'azure',
    });
    expect(await gatehouse(['orgs', 'routing', `missing-${id}`], env)).toMatchObject({
      code: 3,
      stderr: `gatehouse: organization missing-${id} was not found\n`,
    });
  }, 60_000);

  it('explain prints the decision and every rule with why it matched or not', async () => {
    const run = await gatehouse(['explain', `Jane+x@EU.UW.${domain.toUpperCase()}`], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(`^Decision: connection legacy-okta \\(con_\\S+\\) of ${slug}$`, 'm'),
    );
    expect(run.stdout).toContain(`Reason:   rule #2 of ${slug} routes eu.uw.${domain} to legacy-okta\n`);
    expect(run.stdout).toMatch(
      new RegExp(`^rule #1 +${domain} -> azure \\(priority 1\\) +no +domain ${domain} does not cover`, 'm'),
    );
    expect(run.stdout).toMatch(
      /^rule #2 +\S+ -> legacy-okta \(priority 2\) +selected +domain .*; selected$/m,
    );

    const hinted = await gatehouse(
      ['explain', '--organization', slug, '--connection', 'azure', '--json'],
      env,
    );
    expect(hinted.code).toBe(0);
    expect(JSON.parse(hinted.stdout).decision).toMatchObject({
      kind: 'connection',
      connection: { key: 'azure' },
      organization: { slug },
      reason: `connection hint azure of ${slug}`,
    });
    const foreign = await gatehouse(
      ['explain', '--connection', 'azure', '--domain-hint', `uw.${domain}`],
      env,
    );
    expect(foreign.stdout).toMatch(/^Decision: refused$/m);
    expect(foreign.stdout).toContain('Reason:   connection hint azure names no connection\n');
    const local = await gatehouse(['explain', `someone@nobody-${id}.example`, '--json'], env);
    expect(JSON.parse(local.stdout).decision).toEqual({
      kind: 'local',
      connection: null,
      organization: null,
      reason: `no organization has verified nobody-${id}.example`,
    });
  }, 60_000);
});
