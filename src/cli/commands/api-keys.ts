import type { Command } from 'commander';
import { allPages } from '../../domain/all-pages.js';
import { apiKeyCreateSchema, createApiKeys, type ApiKeyView } from '../../domain/organizations/api-keys.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json, table } from '../format.js';

interface CreateOptions {
  name: string;
  organization?: string;
  expiresInDays?: string;
  readOnly?: boolean;
  json?: boolean;
}

export function registerApiKeys(program: Command, io: Io): void {
  const keys = program
    .command('api-keys')
    .description('keys for the admin API (Authorization: Bearer gh_...)')
    .addHelpText(
      'after',
      '\nA key without --organization administers the whole environment; with it, that organization\n' +
        'and its sub-organizations only. A --read-only key reads and changes nothing. Gatehouse stores\n' +
        'a hash: a lost key is revoked and replaced.\n',
    );

  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('--name <name>', 'what the key is for (shown in lists and audit records)')
    .option('--organization <slug>', 'limit the key to this organization and its sub-organizations')
    .option('--expires-in-days <days>', 'expire the key after this many days (1 to 3650)')
    .option('--read-only', 'the key may read (GET) and change nothing: for reporting and monitoring')
    .option('--json', 'print the key and its record as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  gatehouse api-keys create --name ci --organization acme --expires-in-days 30\n',
    )
    .action(async (options: CreateOptions) => {
      const days = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
      if (days !== undefined && !/^\d+$/.test(options.expiresInDays ?? '')) {
        throw new CliError('--expires-in-days: a whole number of days', EXIT_INVALID_INPUT);
      }
      const input = parseOptions(
        apiKeyCreateSchema,
        {
          name: options.name,
          organization: options.organization,
          expires_in_days: days,
          access: options.readOnly ? 'read_only' : 'read_write',
        },
        { name: '--name', organization: '--organization', expires_in_days: '--expires-in-days' },
      );
      const env = readEnv();
      const { key, record } = await withDatabase(env, io, (db) =>
        createApiKeys(db).create(cliPrincipal(), input),
      );
      if (options.json) {
        io.out(json({ ...record, key }));
        return;
      }
      io.out(
        `created ${record.access === 'read_only' ? 'read-only ' : ''}API key ${record.id} (${record.name}) ` +
          `for ${scopeOf(record, options.organization)}` +
          `${record.expiresAt ? `, expires ${formatTime(record.expiresAt)}` : ''}\n\n` +
          `  ${key}\n\n`,
      );
      // On stderr: stdout carries the result only.
      io.err('Copy the key now: Gatehouse keeps only its hash and cannot show it again.\n');
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves) with scope, expiry, last use and state')
    .option('--json', 'print the keys as JSON')
    .action(async (options: { json?: boolean }) => {
      const env = readEnv();
      const listed = await withDatabase(env, io, async (db) => {
        const principal = cliPrincipal();
        const rows = await allPages((page) => createApiKeys(db).list(principal, page));
        const slugs = new Map<string, string>();
        for (const row of rows) {
          if (row.organizationId && !slugs.has(row.organizationId)) {
            const organization = await db.organizations.find(row.organizationId);
            slugs.set(row.organizationId, organization?.slug ?? row.organizationId);
          }
        }
        return rows.map((row) => ({
          ...row,
          organizationSlug: row.organizationId ? (slugs.get(row.organizationId) ?? null) : null,
        }));
      });
      if (options.json) {
        io.out(json(listed));
        return;
      }
      if (listed.length === 0) {
        io.out('No API keys yet; create one with `gatehouse api-keys create --name <name>`.\n');
        return;
      }
      const now = new Date();
      const rows = listed.map((row) => [
        row.id,
        row.name,
        row.organizationSlug ?? 'environment',
        row.access === 'read_only' ? 'read' : 'read, write',
        stateOf(row, now),
        formatTime(row.createdAt),
        row.expiresAt ? formatTime(row.expiresAt) : '-',
        row.lastUsedAt ? formatTime(row.lastUsedAt) : '-',
      ]);
      io.out(table(['ID', 'NAME', 'SCOPE', 'ACCESS', 'STATE', 'CREATED', 'EXPIRES', 'LAST USED'], rows));
    });

  keys
    .command('revoke')
    .description('revoke a key at once; requests carrying it are refused from now on')
    .argument('<id>', 'key id (key_...), as `gatehouse api-keys list` shows it')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const env = readEnv();
      await withDatabase(env, io, (db) => createApiKeys(db).revoke(cliPrincipal(), id));
      io.out(options.json ? json({ id, revoked: true }) : `revoked API key ${id}\n`);
    });
}

const scopeOf = (record: ApiKeyView, organization: string | undefined) =>
  record.organizationId ? `organization ${organization ?? record.organizationId}` : 'the whole environment';

function stateOf(key: ApiKeyView, now: Date): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return 'active';
}
