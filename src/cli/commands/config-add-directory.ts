import { Option, type Command } from 'commander';
import { groupRoleMapSchema } from '../../domain/directories/directory-input.js';
import { connectionKeySchema } from '../../domain/organizations/connection-input.js';
import { slugSchema } from '../../domain/organizations/organization-input.js';
import { collect, parseOptions } from '../admin-principal.js';
import { adminBaseUrl, adminClient, publicIssuer } from '../admin-client.js';
import { editConfigFile, envFileFor } from '../config-file-edit.js';
import { readEnv, type Io } from '../context.js';
import type { DirectoryDraft } from '../directory-file-edit.js';
import { addDirectoryToDocument } from '../directory-file-edit.js';
import { readEnvFile } from '../env-file.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { json } from '../format.js';

interface AddDirectoryOptions {
  provider: 'scim';
  organization: string;
  id: string;
  map?: string[];
  file: string;
  envFile?: string;
  apply?: boolean;
  adminUrl?: string;
  json?: boolean;
}

interface DirectoryWithToken {
  id: string;
  key: string;
  scim_base_path: string;
  token: string;
}

const HELP =
  '\nWithout --apply the directory is added to the file with `token: ${VARIABLE}`, and a new token is\n' +
  'written to .env and printed once: give it to the IdP (Entra ID, Okta...) with the SCIM base URL,\n' +
  'which exists once the file is applied. With --apply the directory is made through the admin API\n' +
  'and both are printed at once.\n\n' +
  'Exit codes: 0 added, 1 Gatehouse unreachable, 2 invalid flags or file, 3 no such organization or file,\n' +
  '4 the directory exists already, 5 the API key may not do it.\n';

/** `--map "Group A=role_a"`, repeated: group names may hold commas and spaces. */
function groupRoleMap(entries: readonly string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const at = entry.lastIndexOf('=');
    if (at <= 0 || at === entry.length - 1)
      throw new CliError(`--map: "${entry}" is not GROUP=ROLE`, EXIT_INVALID_INPUT);
    map[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return parseOptions(groupRoleMapSchema, map, {});
}

function draftOf(options: AddDirectoryOptions): DirectoryDraft {
  return {
    organization: parseOptions(slugSchema, options.organization, { '': '--organization' }),
    key: parseOptions(connectionKeySchema, options.id, { '': '--id' }),
    groupRoleMap: groupRoleMap(options.map),
  };
}

async function addThroughFile(io: Io, draft: DirectoryDraft, options: AddDirectoryOptions): Promise<void> {
  const envPath = envFileFor(options.file, options.envFile);
  const { result, unset } = await editConfigFile(options.file, envPath, (doc) =>
    addDirectoryToDocument(doc, draft),
  );
  const list = `gatehouse directories list --organization ${draft.organization}`;
  // The .env beside the file says where Gatehouse runs even when it is not loaded in this shell.
  const issuer = process.env.ISSUER || (await readEnvFile(envPath)).values.ISSUER || readEnv().ISSUER;
  const scimUrl = `${issuer.replace(/\/+$/, '')}/scim/v2/<directory id>`;
  const steps = [`gatehouse apply -f ${options.file}`, `${list}  (the directory id in the SCIM base URL)`];
  if (options.json) {
    io.out(
      json({
        mode: 'file',
        file: options.file,
        env_file: envPath,
        organization: draft.organization,
        directory: { id: draft.key, type: 'scim', group_role_map: draft.groupRoleMap },
        token_variable: result.tokenVariable,
        token: result.token,
        scim_base_url: scimUrl,
        unset_variables: unset,
        next_steps: steps,
      }),
    );
    return;
  }
  io.out(
    `Added directory ${draft.key} to ${options.file} (organization ${draft.organization}); its token is ${result.tokenVariable} in ${envPath}.\n` +
      `SCIM base URL: ${scimUrl} (the id exists once applied: ${list})\n` +
      `bearer token (shown once, store it in the IdP now): ${result.token}\n` +
      `Next steps:\n${steps.map((step) => `  ${step}\n`).join('')}`,
  );
}

async function addThroughApi(io: Io, draft: DirectoryDraft, options: AddDirectoryOptions): Promise<void> {
  const client = adminClient(
    adminBaseUrl(options.adminUrl ?? readEnv().ISSUER),
    process.env.GATEHOUSE_ADMIN_KEY,
  );
  io.err(`- adding directory ${draft.key} to ${draft.organization} at ${client.baseUrl}\n`);
  const directory = await client.request<DirectoryWithToken>(
    'POST',
    `/organizations/${encodeURIComponent(draft.organization)}/directories`,
    { key: draft.key, group_role_map: draft.groupRoleMap },
  );
  const url = `${await publicIssuer(client)}${directory.scim_base_path}`;
  if (options.json) {
    io.out(
      json({
        mode: 'api',
        admin_url: client.baseUrl,
        directory: { id: directory.id, key: directory.key },
        scim_base_url: url,
        token: directory.token,
      }),
    );
    return;
  }
  io.out(
    `directory ${directory.key} (${directory.id})\n` +
      `SCIM base URL: ${url}\n` +
      `bearer token (shown once, store it in the IdP now): ${directory.token}\n`,
  );
}

export function registerAddDirectory(config: Command, io: Io): void {
  config
    .command('add-directory')
    .description("add an organization's SCIM directory; prints the SCIM base URL and bearer token once")
    .addOption(
      new Option('--provider <name>', 'the directory protocol').choices(['scim']).makeOptionMandatory(),
    )
    .requiredOption('--organization <slug>', 'the organization the directory provisions')
    .option('--id <key>', 'the directory id', 'scim')
    .option('--map <group=role>', 'give members of a group a role (repeat for more groups)', collect)
    .option('-f, --file <path>', 'the declarative file to edit', 'gatehouse.yaml')
    .option('--env-file <path>', 'where the token goes (default: .env beside the file)')
    .option('--apply', 'make it through the admin API of a running Gatehouse instead of editing the file')
    .option('--admin-url <url>', 'with --apply: where Gatehouse runs (default: ISSUER)')
    .option('--json', 'print the result as JSON (with the token)')
    .addHelpText('after', HELP)
    .action(async (options: AddDirectoryOptions) => {
      const draft = draftOf(options);
      await (options.apply ? addThroughApi(io, draft, options) : addThroughFile(io, draft, options));
    });
}
