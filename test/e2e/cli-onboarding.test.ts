import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isSeq, parseDocument } from 'yaml';
import { gatehouse } from '../cli/run-gatehouse.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { planPartnerIdp, startPartnerIdp, type PartnerIdp } from '../support/partner-idp.js';
import { discover, loginThroughPartner, REDIRECT_URI } from '../support/relying-party.js';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';

/**
 * What an operator does on day one, through the real `gatehouse` bin: `init` a template, connect a
 * customer's IdP with `config add-sso`, `apply`, and then a person of that customer signs in to
 * the template's application through the new connection (openid-client as the application, a
 * second oidc-provider as the customer's IdP), and `explain` names the connection for their email.
 */
describe('CLI onboarding: init -> add-sso -> apply -> a real login -> explain', () => {
  let database: ScratchDatabase;
  let dir: string;
  let gh: TestGatehouse | undefined;
  let partner: PartnerIdp | undefined;
  const domain = `${randomUUID().slice(0, 8)}.onboarding.test`;
  const email = `jane@${domain}`;

  beforeAll(async () => {
    database = await createMigratedDatabase('gatehouse_onboarding');
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-onboarding-'));
  }, 120_000);
  afterAll(async () => {
    await partner?.stop();
    await gh?.stop();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs a customer’s person in through the connection the CLI added', async () => {
    const file = join(dir, 'gatehouse.yaml');
    const init = await gatehouse(['init', '--template', 'enterprise-b2b', '--dir', dir], {});
    expect(init).toMatchObject({ code: 0, stderr: '' });

    // The operator points the template's application at where it really runs (here: the test's RP).
    const doc = parseDocument(await readFile(file, 'utf8'));
    const redirects = doc.getIn(['clients', 0, 'redirect_uris'], true);
    if (!isSeq(redirects)) throw new Error('the template lists redirect_uris');
    redirects.add(REDIRECT_URI);
    await writeFile(file, doc.toString());

    const idp = await planPartnerIdp();
    const added = await gatehouse(
      [
        'config',
        'add-sso',
        '-f',
        file,
        '--organization',
        'acme',
        '--provider',
        'oidc',
        '--domain',
        domain,
        '--issuer',
        idp.issuer,
        '--client-id',
        idp.clientId,
        '--client-secret',
        idp.clientSecret,
      ],
      {},
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(await readFile(file, 'utf8')).not.toContain(idp.clientSecret);

    // `set -a; . ./.env; set +a`, then apply: the .env holds the keys and every secret the file names.
    const dotenv = parseEnv(await readFile(join(dir, '.env'), 'utf8')) as Record<string, string>;
    expect(dotenv.ACME_OIDC_CLIENT_SECRET).toBe(idp.clientSecret);
    const env = { ...dotenv, DATABASE_URL: database.url, KEYS_DIR: join(dir, 'keys') };
    const applied = await gatehouse(['apply', '-f', file], env);
    expect(applied).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toMatch(/^connection\s+acme\/oidc\s+create$/m);
    expect(applied.stdout).toMatch(/^routing\s+acme\s+create\s+rules$/m);

    const shown = await gatehouse(
      ['connections', 'show', '--organization', 'acme', '--key', 'oidc', '--json'],
      env,
    );
    expect(shown.code).toBe(0);
    const connection = JSON.parse(shown.stdout) as { id: string; organizationId: string };

    gh = await startGatehouse({
      DATABASE_URL: database.url,
      GATEHOUSE_KEK: dotenv.GATEHOUSE_KEK!,
      COOKIE_KEYS: dotenv.COOKIE_KEYS!,
    });
    partner = await startPartnerIdp(idp, [`${gh.issuer}/sso/oidc/${connection.id}/callback`]);
    partner.accounts.set('jane-at-idp', { email, email_verified: true, name: 'Jane Doe' });

    const app = await discover(gh.issuer, 'web-app', dotenv.WEB_APP_CLIENT_SECRET);
    const { tokens } = await loginThroughPartner(app, email, 'jane-at-idp', {
      scope: 'openid email profile organization roles',
    });
    expect(partner.signIns).toBe(1);
    expect(tokens.claims()).toMatchObject({
      email,
      name: 'Jane Doe',
      org_id: connection.organizationId,
      roles: ['member'],
      idp: connection.id,
    });

    const explained = await gatehouse(['explain', email], env);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain(`Decision: connection oidc (${connection.id}) of acme\n`);
    const asJson = await gatehouse(['explain', email, '--json'], env);
    expect(JSON.parse(asJson.stdout).decision).toMatchObject({
      kind: 'connection',
      connection: { id: connection.id, key: 'oidc' },
      organization: { slug: 'acme' },
    });
  }, 300_000);
});
