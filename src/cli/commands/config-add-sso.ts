import { Option, type Command } from 'commander';
import { CONNECTION_PRESETS } from '../../domain/organizations/connection-input.js';
import { adminBaseUrl, adminClient, publicIssuer } from '../admin-client.js';
import { editConfigFile, envFileFor } from '../config-file-edit.js';
import { readEnv, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { json } from '../format.js';
import { applySsoThroughApi, type SsoApplyResult } from '../sso-admin-apply.js';
import { ssoDraft, type AddSsoFlags, type SsoDraft } from '../sso-draft.js';
import { addSsoToDocument, type SsoFileResult } from '../sso-file-edit.js';
import { PROVIDER_PRESETS } from '../provider-presets.js';

interface AddSsoOptions extends AddSsoFlags {
  file: string;
  envFile?: string;
  apply?: boolean;
  adminUrl?: string;
  json?: boolean;
}

const HELP =
  '\nExamples:\n' +
  '  gatehouse config add-sso --organization acme --provider azure-ad --domain acme.com \\\n' +
  '    --issuer https://login.microsoftonline.com/<tenant id>/v2.0 --client-id <id> --client-secret <secret>\n' +
  '  gatehouse config add-sso --organization acme --provider okta --domain acme.com \\\n' +
  '    --saml-metadata-url https://acme.okta.com/app/<app id>/sso/saml/metadata\n' +
  '  gatehouse config add-sso --organization acme --provider adfs --domain acme.com \\\n' +
  '    --saml-endpoint https://adfs.acme.com/adfs/ls/ --saml-entity-id http://adfs.acme.com/adfs/services/trust \\\n' +
  '    --certificate-path adfs-signing.pem\n\n' +
  "Each provider preset fills in its IdP's claim and attribute names (and says which NameID format\n" +
  'to pick there). Without --apply the connection, the domain claim and the routing rule are added\n' +
  'to the file (checked as `gatehouse plan` checks it, written only when valid); the client secret\n' +
  'goes to .env and the file holds a ${VARIABLE} reference. With --apply they are made through the\n' +
  'admin API of a running Gatehouse (GATEHOUSE_ADMIN_KEY: an environment admin API key).\n\n' +
  'Exit codes: 0 added, 1 Gatehouse unreachable, 2 invalid flags or file, 3 no such organization or file,\n' +
  '4 the connection, domain or rule exists already, 5 the API key may not do it.\n';

function fileNextSteps(draft: SsoDraft, file: string, outcome: SsoFileResult, unset: string[]): string[] {
  const missing = [...new Set([...(outcome.secretWritten ? [] : [outcome.secretVariable ?? '']), ...unset])]
    .filter(Boolean)
    .sort();
  return [
    ...(missing.length > 0 ? [`set ${missing.join(', ')} (in .env or your secret manager)`] : []),
    `gatehouse plan -f ${file}`,
    `gatehouse apply -f ${file}`,
    `gatehouse connections show --organization ${draft.organization} --key ${draft.key}  (${
      draft.protocol === 'oidc' ? 'its id gives the redirect URI' : 'the SP entity ID and ACS URL'
    } to register at the IdP)`,
    `gatehouse explain someone@${draft.domain.replace(/^\*\./, 'sub.')}`,
  ];
}

/** What the IdP needs from Gatehouse, now that the connection has its id. */
function registration(issuer: string, result: SsoApplyResult): Record<string, string> {
  const { connection } = result;
  if (!connection.service_provider) return { redirect_uri: `${issuer}/sso/oidc/${connection.id}/callback` };
  const sp = connection.service_provider;
  return {
    sp_entity_id: `${issuer}${sp.entity_id_path}`,
    acs_url: `${issuer}${sp.acs_path}`,
    sp_metadata_url: `${issuer}${sp.metadata_path}`,
  };
}

async function addThroughFile(io: Io, draft: SsoDraft, options: AddSsoOptions): Promise<void> {
  const envPath = envFileFor(options.file, options.envFile);
  const { result, unset } = await editConfigFile(options.file, envPath, (doc) =>
    addSsoToDocument(doc, draft),
  );
  const steps = fileNextSteps(draft, options.file, result, unset);
  const rule = { domain: draft.domain, connection: draft.key, priority: result.priority };
  if (options.json) {
    io.out(
      json({
        mode: 'file',
        file: options.file,
        env_file: envPath,
        organization: draft.organization,
        connection: { id: draft.key, type: draft.protocol, preset: draft.provider },
        domain: draft.domain,
        domain_added: result.domainAdded,
        routing_rule: rule,
        secret_variable: result.secretVariable ?? null,
        secret_written: result.secretWritten,
        name_id_format: draft.nameIdFormat ?? null,
        unset_variables: unset,
        next_steps: steps,
      }),
    );
    return;
  }
  const secret = result.secretVariable
    ? `  secret      ${result.secretVariable} ${result.secretWritten ? `written to ${envPath}` : 'to be set'}\n`
    : '';
  io.out(
    `Added to ${options.file} (organization ${draft.organization}):\n` +
      `  connection  ${draft.key} (${draft.protocol.toUpperCase()}, ${PROVIDER_PRESETS[draft.provider].label})\n` +
      `  domain      ${draft.domain}${result.domainAdded ? '' : ' (already listed)'}\n` +
      `  routing     ${draft.domain} -> ${draft.key} (priority ${result.priority})\n` +
      secret +
      (draft.nameIdFormat ? `At the IdP, choose NameID format ${draft.nameIdFormat}.\n` : '') +
      `Next steps:\n${steps.map((step) => `  ${step}\n`).join('')}`,
  );
}

async function addThroughApi(io: Io, draft: SsoDraft, options: AddSsoOptions): Promise<void> {
  if (draft.protocol === 'oidc' && draft.clientSecret === undefined) {
    throw new CliError(
      '--apply sends the connection to Gatehouse now: give --client-secret (or leave out --apply to write a ${VARIABLE} reference into the file)',
      EXIT_INVALID_INPUT,
    );
  }
  const client = adminClient(
    adminBaseUrl(options.adminUrl ?? readEnv().ISSUER),
    process.env.GATEHOUSE_ADMIN_KEY,
  );
  const progress = (line: string) => io.err(`- ${line}\n`);
  const result = await applySsoThroughApi(client, draft, progress);
  if (result.organization.managed_by === 'config') {
    io.err(
      `warning: ${draft.organization} is managed by a declarative file; its next \`gatehouse apply\` removes ` +
        `connection ${draft.key} unless the file lists it (add it there: leave out --apply)\n`,
    );
  }
  const idp = registration(await publicIssuer(client), result);
  const rule = { domain: draft.domain, connection: draft.key, priority: result.priority };
  if (options.json) {
    io.out(
      json({
        mode: 'api',
        admin_url: client.baseUrl,
        organization: { id: result.organization.id, slug: result.organization.slug },
        connection: {
          id: result.connection.id,
          key: draft.key,
          type: draft.protocol,
          preset: draft.provider,
        },
        domain: draft.domain,
        domain_added: result.domainAdded,
        domain_verified: result.domainVerified,
        routing_rule: rule,
        name_id_format: draft.nameIdFormat ?? null,
        idp_registration: idp,
      }),
    );
    return;
  }
  io.out(
    `Added to ${draft.organization} at ${client.baseUrl}:\n` +
      `  connection  ${draft.key} (${result.connection.id})\n` +
      `  domain      ${draft.domain}${result.domainAdded ? '' : result.domainVerified ? ' (already claimed)' : ' (claimed, waiting for its DNS proof)'}\n` +
      `  routing     ${draft.domain} -> ${draft.key} (priority ${result.priority})\n` +
      `Register at the IdP:\n${Object.entries(idp)
        .map(([name, value]) => `  ${name.padEnd(16)}${value}\n`)
        .join('')}` +
      (draft.nameIdFormat ? `  ${'name_id_format'.padEnd(16)}${draft.nameIdFormat}\n` : ''),
  );
}

export function registerAddSso(config: Command, io: Io): void {
  config
    .command('add-sso')
    .description(
      "connect an organization's identity provider: the connection, its domain and the routing rule",
    )
    .requiredOption('--organization <slug>', 'the organization whose people sign in through it')
    .addOption(
      new Option('--provider <name>', 'the IdP product (its defaults are filled in)')
        .choices(CONNECTION_PRESETS)
        .makeOptionMandatory(),
    )
    .requiredOption('--domain <domain>', 'the email domain routed to it (acme.com or *.acme.com)')
    .option('--id <key>', 'the connection id in the file (default: the provider name)')
    .option('--priority <n>', 'the routing rule priority (default: after the existing rules)')
    .option('--issuer <url>', 'OIDC: the IdP issuer')
    .option('--client-id <id>', 'OIDC: the client id registered at the IdP')
    .option('--client-secret <secret>', 'OIDC: its client secret (goes to .env, never into the file)')
    .option('--saml-metadata-url <url>', 'SAML: where the IdP publishes its metadata')
    .option('--saml-metadata-file <path>', 'SAML: the IdP metadata as a file')
    .option(
      '--saml-endpoint <url>',
      'SAML: the IdP single sign-on URL (with --saml-entity-id, --certificate-path)',
    )
    .option('--saml-entity-id <id>', 'SAML: the IdP entity ID (the Issuer it signs with)')
    .option('--certificate-path <path>', 'SAML: the IdP signing certificate (PEM)')
    .option('-f, --file <path>', 'the declarative file to edit', 'gatehouse.yaml')
    .option('--env-file <path>', 'where secrets go (default: .env beside the file)')
    .option('--apply', 'make it through the admin API of a running Gatehouse instead of editing the file')
    .option('--admin-url <url>', 'with --apply: where Gatehouse runs (default: ISSUER)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', HELP)
    .action(async (options: AddSsoOptions) => {
      const draft = await ssoDraft(options);
      await (options.apply ? addThroughApi(io, draft, options) : addThroughFile(io, draft, options));
    });
}
