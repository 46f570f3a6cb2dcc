import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { PROVIDER_PRESETS, type ProviderName } from '../../src/cli/provider-presets.js';
import { parseConfigText } from '../../src/config/declarative/load.js';
import { samlIdpCertificate, SAML_IDP_ENTITY_ID } from '../support/saml-partner.js';
import { gatehouseInProcess } from './config-in-process.js';

const SECRET = 'upstream-secret~with.odd_chars-0123456789';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh template in its own folder, with the paths the commands take. */
async function workspace(template = 'enterprise-b2b') {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-add-sso-'));
  expect((await gatehouseInProcess(['init', '--template', template, '--dir', dir])).code).toBe(0);
  const file = join(dir, 'gatehouse.yaml');
  const envFile = join(dir, '.env');
  const read = async () => ({ yaml: await readFile(file, 'utf8'), env: await readFile(envFile, 'utf8') });
  const addSso = (...args: string[]) => gatehouseInProcess(['config', 'add-sso', '-f', file, ...args]);
  return { dir, file, envFile, read, addSso };
}
type Workspace = Awaited<ReturnType<typeof workspace>>;

const organization = (yaml: string, slug = 'acme'): Json => (parse(yaml) as Json).organizations[slug];
const commentLines = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));

/** The file as `gatehouse plan -f` would load it with the .env loaded. */
const validates = (yaml: string, env: string, extra: Record<string, string> = {}) =>
  parseConfigText(yaml, 'gatehouse.yaml', { ...parseEnv(env), ...extra });

describe('gatehouse config add-sso', () => {
  let space: Workspace;
  let metadataFile: string;
  let certificateFile: string;
  beforeEach(async () => {
    space = await workspace();
    certificateFile = join(space.dir, 'idp.pem');
    await writeFile(certificateFile, samlIdpCertificate());
    const der = samlIdpCertificate().replace(/-----[A-Z ]+-----|\s/g, '');
    metadataFile = join(space.dir, 'metadata.xml');
    await writeFile(
      metadataFile,
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${SAML_IDP_ENTITY_ID}">\n` +
        '  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">\n' +
        `    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n` +
        '    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>\n' +
        '  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n',
    );
  });
  afterEach(async () => {
    await rm(space.dir, { recursive: true, force: true });
  });

  const PROVIDERS: [ProviderName, () => string[]][] = [
    [
      'azure-ad',
      () => [
        '--issuer',
        'https://login.microsoftonline.com/tenant-1/v2.0',
        '--client-id',
        'app-1',
        '--client-secret',
        SECRET,
      ],
    ],
    ['okta', () => ['--saml-metadata-url', 'https://acme.okta.com/app/abc/sso/saml/metadata']],
    ['pingfederate', () => ['--saml-metadata-file', metadataFile]],
    [
      'adfs',
      () => [
        '--saml-endpoint',
        'https://adfs.acme.test/adfs/ls/',
        '--saml-entity-id',
        'http://adfs.acme.test/adfs/services/trust',
        '--certificate-path',
        certificateFile,
      ],
    ],
    [
      'auth0',
      () => ['--issuer', 'https://acme.eu.auth0.com/', '--client-id', 'auth0-app', '--client-secret', SECRET],
    ],
    [
      'cognito',
      () => [
        '--issuer',
        'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
        '--client-id',
        'pool-app',
      ],
    ],
    ['oidc', () => ['--issuer', 'https://idp.acme.test', '--client-id', 'acme', '--client-secret', SECRET]],
    ['saml', () => ['--saml-metadata-url', 'https://idp.acme.test/saml/metadata']],
  ];

  it.each(PROVIDERS)(
    '%s: adds the connection with the preset’s defaults, the domain and the rule, keeping every comment',
    async (provider, flags) => {
      const before = await space.read();
      const run = await space.addSso(
        '--organization',
        'acme',
        '--provider',
        provider,
        '--domain',
        'Acme.Test',
        '--json',
        ...flags(),
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const result = JSON.parse(run.stdout);
      const after = await space.read();

      const acme = organization(after.yaml);
      const connection = acme.connections[0];
      const preset = PROVIDER_PRESETS[provider];
      const protocol = flags()[0]!.startsWith('--saml') ? 'saml' : 'oidc';
      expect(connection).toMatchObject({ id: provider, type: protocol, preset: provider });
      const defaults = protocol === 'oidc' ? preset.oidc! : preset.saml!;
      expect(connection.attribute_map ?? {}).toEqual(defaults.attributeMap);
      expect(acme.domains).toEqual([{ domain: 'acme.test', verified: true }]);
      expect(acme.routing.rules).toEqual([{ domain: 'acme.test', connection: provider, priority: 1 }]);
      expect(result).toMatchObject({
        mode: 'file',
        organization: 'acme',
        connection: { id: provider, type: protocol, preset: provider },
        domain_added: true,
        routing_rule: { domain: 'acme.test', connection: provider, priority: 1 },
      });
      if (protocol === 'saml') {
        expect(result.name_id_format).toBe(preset.saml!.nameIdFormat);
        expect(after.yaml).toContain(`# ${preset.saml!.nameIdFormat}`);
        if (preset.saml!.emailAttribute) expect(connection.email_attribute).toBe(preset.saml!.emailAttribute);
      } else {
        expect(connection).toMatchObject({ issuer: flags()[1], scopes: preset.oidc!.scopes });
        const variable = `ACME_${provider.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;
        expect(connection.client_secret).toBe(`\${${variable}}`);
        expect(result.secret_variable).toBe(variable);
      }
      // Everything the operator wrote stays: every comment, in order, and the rest of the file.
      expect(commentLines(after.yaml).filter((line) => commentLines(before.yaml).includes(line))).toEqual(
        commentLines(before.yaml),
      );
      expect(organization(after.yaml).roles).toEqual(organization(before.yaml).roles);
      expect(after.yaml).not.toContain(SECRET);
      const stand =
        result.secret_written === false && protocol === 'oidc' ? { [result.secret_variable]: SECRET } : {};
      expect(validates(after.yaml, after.env, stand).organizations[0]!.connections).toHaveLength(1);
    },
  );

  it('writes the client secret to .env, quoted when it must be, and never prints it', async () => {
    const secret = `it's "odd" $HOME`.replace("'", '');
    const run = await space.addSso(
      '--organization=acme',
      '--provider=okta',
      '--domain=acme.test',
      '--issuer=https://acme.okta.com',
      '--client-id=okta-app',
      `--client-secret=${secret}`,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`ACME_OKTA_CLIENT_SECRET written to ${space.envFile}`);
    expect(run.stdout + run.stderr).not.toContain(secret);
    const { env } = await space.read();
    expect(parseEnv(env).ACME_OKTA_CLIENT_SECRET).toBe(secret);
    expect(env).toContain('# client secret of connection okta of acme\n');
  });

  it('without --client-secret it writes the reference and names the variable to set', async () => {
    const before = await space.read();
    const run = await space.addSso(
      '--organization',
      'acme',
      '--provider',
      'azure-ad',
      '--domain',
      'acme.test',
      '--issuer',
      'https://login.microsoftonline.com/t/v2.0',
      '--client-id',
      'app',
      '--json',
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ secret_written: false, unset_variables: ['ACME_AZURE_AD_CLIENT_SECRET'] });
    expect(result.next_steps[0]).toBe('set ACME_AZURE_AD_CLIENT_SECRET (in .env or your secret manager)');
    expect((await space.read()).env).toBe(before.env);
  });

  it('adds the rule after existing ones, reuses a domain the organization lists, and takes --id and --priority', async () => {
    const okta = ['--saml-metadata-url', 'https://acme.okta.com/app/abc/sso/saml/metadata'];
    expect(
      (await space.addSso('--organization', 'acme', '--provider', 'okta', '--domain', 'acme.test', ...okta))
        .code,
    ).toBe(0);
    const second = await space.addSso(
      '--organization',
      'acme',
      '--provider',
      'okta',
      '--id',
      'okta-eu',
      '--domain',
      '*.eu.acme.test',
      ...okta,
    );
    expect(second.stdout).toContain('routing     *.eu.acme.test -> okta-eu (priority 2)');
    let acme = organization((await space.read()).yaml);
    expect(acme.routing.rules.map((rule: Json) => rule.priority)).toEqual([1, 2]);

    // A domain the organization already claims gets its rule, not a second claim.
    const { yaml } = await space.read();
    await writeFile(
      space.file,
      yaml.replace(
        '- { domain: acme.test, verified: true }',
        '- { domain: acme.test, verified: true }\n      - shop.acme.test',
      ),
    );
    const reused = await space.addSso(
      '--organization',
      'acme',
      '--provider',
      'saml',
      '--id',
      'shop',
      '--domain',
      'shop.acme.test',
      '--priority',
      '0',
      '--saml-metadata-url',
      'https://idp.acme.test/metadata',
    );
    expect(reused.code).toBe(0);
    expect(reused.stdout).toContain('shop.acme.test (already listed)');
    acme = organization((await space.read()).yaml);
    expect(
      acme.domains.filter((claim: unknown) => JSON.stringify(claim).includes('shop.acme.test')),
    ).toHaveLength(1);
    expect(acme.routing.rules.at(-1)).toEqual({ domain: 'shop.acme.test', connection: 'shop', priority: 0 });
  });

  /** Runs add-sso expecting a refusal: the exit code, the message, and both files untouched. */
  async function refused(args: string[], code: number, message: string | RegExp) {
    const before = await space.read();
    const run = await space.addSso(...args);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
    expect(run.stderr).toMatch(message);
    expect(await space.read()).toEqual(before);
  }

  const OIDC = ['--issuer', 'https://idp.acme.test', '--client-id', 'acme', '--client-secret', SECRET];
  const ACME = ['--organization', 'acme', '--domain', 'acme.test'];

  it('refuses a duplicate connection, domain or rule (exit 4) and writes nothing', async () => {
    expect((await space.addSso(...ACME, '--provider', 'oidc', ...OIDC)).code).toBe(0);
    await refused(
      [...ACME, '--provider', 'oidc', '--domain', 'other.test', ...OIDC],
      4,
      /already has a connection oidc: choose another name with --id/,
    );
    await refused(
      [...ACME, '--provider', 'oidc', '--id', 'second', ...OIDC],
      4,
      /already routes acme.test to connection oidc/,
    );

    const original = space;
    const partners = await workspace('partner-network');
    try {
      space = partners;
      const globex = ['--organization', 'globex', '--provider', 'oidc', '--domain', 'globex.test', ...OIDC];
      expect((await partners.addSso(...globex)).code).toBe(0);
      expect(
        organization((await partners.read()).yaml, 'network').sub_organizations.globex.connections,
      ).toHaveLength(1);
      await refused(
        ['--organization', 'network', '--provider', 'oidc', '--domain', 'globex.test', ...OIDC],
        4,
        'globex.test is already claimed by organization globex (organizations.network.sub_organizations.globex)',
      );
    } finally {
      space = original;
      await rm(partners.dir, { recursive: true, force: true });
    }
  });

  it('refuses missing or contradictory flags (exit 2) with what to give instead', async () => {
    await refused(
      [...ACME, '--provider', 'okta'],
      2,
      /--provider okta needs one of:\n {2}--issuer https:\/\/<your org>\.okta\.com/,
    );
    await refused(
      [...ACME, '--provider', 'okta', '--issuer', 'https://acme.okta.com'],
      2,
      '--provider okta over OIDC needs --client-id',
    );
    await refused(
      [...ACME, '--provider', 'adfs', '--saml-endpoint', 'https://adfs.acme.test/adfs/ls/'],
      2,
      '--saml-endpoint needs --saml-entity-id and --certificate-path too',
    );
    await refused(
      [
        ...ACME,
        '--provider',
        'saml',
        '--saml-metadata-url',
        'https://idp.acme.test/m',
        '--saml-metadata-file',
        metadataFile,
      ],
      2,
      'give one IdP source',
    );
    await refused(
      [...ACME, '--provider', 'okta', '--client-id', 'x', '--saml-metadata-url', 'https://x.okta.com/m'],
      2,
      '--client-id is an OIDC flag and --saml-metadata-url a SAML one',
    );
    await refused(
      [...ACME, '--provider', 'cognito', '--saml-metadata-url', 'https://x.test/m'],
      2,
      'Amazon Cognito connects over OIDC only',
    );
    await refused(
      [...ACME, '--provider', 'saml', '--saml-metadata-file', join(space.dir, 'none.xml')],
      2,
      /--saml-metadata-file: cannot read .*none\.xml \(ENOENT\)/,
    );
    await refused(
      [...ACME, '--provider', 'saml', '--saml-metadata-file', space.envFile],
      2,
      'holds no SAML EntityDescriptor',
    );
    await refused(
      [
        ...ACME,
        '--provider',
        'adfs',
        '--saml-endpoint',
        'https://a.test/ls',
        '--saml-entity-id',
        'x',
        '--certificate-path',
        space.envFile,
      ],
      2,
      '--certificate-path: a PEM or base64 X.509 certificate',
    );
    await refused(
      ['--organization', 'acme', '--domain', 'localhost', '--provider', 'oidc', ...OIDC],
      2,
      '--domain: localhost is not a domain an organization can claim',
    );
    await refused(
      [...ACME, '--provider', 'oidc', ...OIDC.slice(0, 1), 'http://idp.acme.test', ...OIDC.slice(2)],
      2,
      '--issuer: an https URL',
    );
    await refused([...ACME, '--provider', 'oidc', '--id', 'Not OK', ...OIDC], 2, '--id: lower-case letters');
    await refused(
      [...ACME, '--provider', 'shibboleth', ...OIDC],
      2,
      'Allowed choices are azure-ad, okta, pingfederate, adfs, auth0, cognito, oidc, saml',
    );
    await refused(
      ['--organization', 'acme', '--provider', 'oidc', ...OIDC],
      2,
      "required option '--domain <domain>' not specified",
    );
  });

  it('names what does not exist (exit 3): the organization, or the file', async () => {
    await refused(
      ['--organization', 'initech', '--domain', 'initech.test', '--provider', 'oidc', ...OIDC],
      3,
      'organization initech is not in the file (it has acme)',
    );
    const missing = await gatehouseInProcess([
      'config',
      'add-sso',
      '-f',
      join(space.dir, 'nope.yaml'),
      ...ACME,
      '--provider',
      'oidc',
      ...OIDC,
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.yaml does not exist: run `gatehouse init --template <name>`');
  });

  it('refuses to edit a file that is already invalid (exit 2), naming its line', async () => {
    const { yaml } = await space.read();
    await writeFile(space.file, yaml.replace('default_role: member', 'default_role: boss'));
    await refused(
      [...ACME, '--provider', 'oidc', ...OIDC],
      2,
      /has problems already; fix them first:\n.*gatehouse\.yaml:\d+:\d+: organizations\.acme\.default_role: role boss/,
    );
  });

  it('takes another .env with --env-file, and documents itself with --help', async () => {
    const envFile = join(space.dir, 'secrets.env');
    const run = await space.addSso(...ACME, '--provider', 'oidc', ...OIDC, '--env-file', envFile);
    expect(run.code).toBe(0);
    expect(parseEnv(await readFile(envFile, 'utf8')).ACME_OIDC_CLIENT_SECRET).toBe(SECRET);
    const help = await gatehouseInProcess(['config', 'add-sso', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--saml-metadata-url <url>');
    expect(help.stdout).toContain('Exit codes: 0 added');
  });
});
