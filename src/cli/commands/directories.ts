import type { Command } from 'commander';
import { createDirectoriesAdmin, type DirectoryView } from '../../domain/directories/directories-admin.js';
import { directoryCreateSchema, groupRoleMapSchema } from '../../domain/directories/directory-input.js';
import type { Database } from '../../domain/ports/repositories.js';
import { SCIM_PREFIX } from '../../http/scim/scim-prefix.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json, table } from '../format.js';

/** `--map "Group A=role_a" --map "Group B=role_b"`: repeated, so group names may hold commas. */
function collectMap(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function groupRoleMap(entries: readonly string[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const at = entry.lastIndexOf('=');
    if (at <= 0 || at === entry.length - 1) {
      throw new CliError(`--map: "${entry}" is not GROUP=ROLE`, EXIT_INVALID_INPUT);
    }
    map[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return parseOptions(groupRoleMapSchema, map, {});
}

/** What to configure at the IdP: the SCIM base URL and, once, the token. */
function describeWithToken(issuer: string, directory: DirectoryView, token: string): string {
  return (
    `directory ${directory.key} (${directory.id})\n` +
    `SCIM base URL: ${issuer}${SCIM_PREFIX}/${directory.id}\n` +
    `bearer token (shown once, store it in the IdP now): ${token}\n`
  );
}

/** `gatehouse directories`: an organization's SCIM directories and their tokens. */
export function registerDirectories(program: Command, io: Io): void {
  const directories = program
    .command('directories')
    .description("an organization's SCIM 2.0 directories (Entra ID, Okta... push users and groups)");
  const run = <T>(work: (admin: ReturnType<typeof createDirectoriesAdmin>) => Promise<T>) =>
    withDatabase(readEnv(), io, (db: Database) => work(createDirectoriesAdmin(db)));

  directories
    .command('list')
    .description("list an organization's directories (or every directory)")
    .option('--organization <slug>', 'organization slug or id')
    .option('--json', 'print them as JSON')
    .action(async (options: { organization?: string; json?: boolean }) => {
      const views = await run((admin) => admin.list(cliPrincipal(), options.organization));
      if (options.json) return io.out(json(views));
      if (views.length === 0) return io.out('no directories yet.\n');
      const rows = views.map((view) => [
        view.key,
        view.id,
        view.organizationId,
        view.tokenHint + '…',
        String(Object.keys(view.groupRoleMap).length),
        formatTime(view.tokenRotatedAt),
      ]);
      io.out(table(['KEY', 'ID', 'ORGANIZATION', 'TOKEN', 'MAPPED GROUPS', 'TOKEN SINCE'], rows));
    });

  directories
    .command('create')
    .description('add a SCIM directory; prints its base URL and bearer token (once)')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'a name for the directory, e.g. entra-scim')
    .option('--map <group=role>', 'give members of a group a role (repeat for more groups)', collectMap)
    .option('--json', 'print the directory and token as JSON')
    .action(async (options: { organization: string; key: string; map?: string[]; json?: boolean }) => {
      const input = parseOptions(
        directoryCreateSchema,
        { key: options.key, group_role_map: groupRoleMap(options.map) },
        { key: '--key', group_role_map: '--map' },
      );
      const { directory, token } = await run((admin) =>
        admin.create(cliPrincipal(), options.organization, input),
      );
      io.out(
        options.json ? json({ ...directory, token }) : describeWithToken(readEnv().ISSUER, directory, token),
      );
    });

  directories
    .command('rotate-token')
    .description('issue a new bearer token; the old one stops working at once')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the directory key')
    .option('--json', 'print the directory and token as JSON')
    .action(async (options: { organization: string; key: string; json?: boolean }) => {
      const { directory, token } = await run((admin) =>
        admin.rotateToken(cliPrincipal(), options.organization, options.key),
      );
      io.out(
        options.json ? json({ ...directory, token }) : describeWithToken(readEnv().ISSUER, directory, token),
      );
    });

  directories
    .command('delete')
    .description('remove a directory and what it pushed (users and memberships stay)')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the directory key')
    .option('--json', 'print what was deleted as JSON')
    .action(async (options: { organization: string; key: string; json?: boolean }) => {
      await run((admin) => admin.delete(cliPrincipal(), options.organization, options.key));
      const deleted = { organization: options.organization, key: options.key, deleted: true };
      io.out(options.json ? json(deleted) : `deleted directory ${options.key}\n`);
    });
}
