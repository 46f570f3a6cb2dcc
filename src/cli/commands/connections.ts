import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { LineCounter, parseDocument } from 'yaml';
import { expandEnvReferences } from '../../config/declarative/env-references.js';
import {
  connectionCreateSchema,
  connectionUpdateSchema,
} from '../../domain/organizations/connection-input.js';
import type { ConnectionView } from '../../domain/organizations/connection-view.js';
import { createConnectionsAdmin } from '../../domain/organizations/connections-admin.js';
import type { Database } from '../../domain/ports/repositories.js';
import { generateSpCredential } from '../../federation/saml/sp-credential.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { configDeps, readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json, table } from '../format.js';

/**
 * A connection file: the admin API's JSON body, in YAML or JSON, with `${ENV_VAR}` references so
 * a client secret never has to be written into the file or typed on the command line.
 */
async function readConnectionFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read ${path}: ${error.message}`, EXIT_INVALID_INPUT);
  });
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw new CliError(`${path}: ${doc.errors[0]!.message}`, EXIT_INVALID_INPUT);
  const problems = expandEnvReferences(doc, lines, process.env);
  if (problems.length > 0) {
    const list = problems.map((problem) => `${path}:${problem.line}:${problem.column}: ${problem.message}`);
    throw new CliError(list.join('\n'), EXIT_INVALID_INPUT);
  }
  return doc.toJS();
}

const identity = (input: unknown) =>
  Object.fromEntries(Object.keys((input as Record<string, unknown>) ?? {}).map((name) => [name, name]));

function describe(connection: ConnectionView): string {
  const { id, key, type, enabled, preset, ...rest } = connection;
  return `${key} (${id}): ${type}${preset ? ` ${preset}` : ''}, ${enabled ? 'enabled' : 'disabled'}\n${json(rest)}`;
}

/** `gatehouse connections`: an organization's upstream identity providers, as the admin API manages them. */
export function registerConnections(program: Command, io: Io): void {
  const connections = program
    .command('connections')
    .description("an organization's upstream identity providers (OIDC or SAML) for enterprise SSO")
    .addHelpText(
      'after',
      '\nA file holds what POST /admin/v1/organizations/{org}/connections takes, in YAML or JSON:\n' +
        '  key: azure\n  type: oidc\n  issuer: https://login.microsoftonline.com/<tenant>/v2.0\n' +
        '  client_id: ${AZURE_CLIENT_ID}\n  client_secret: ${AZURE_CLIENT_SECRET}\n' +
        'Routing rules send emails to a connection: see `gatehouse explain`.\n',
    );
  const admin = (db: Database) =>
    createConnectionsAdmin(db, configDeps(readEnv()).envelope, { spCredential: generateSpCredential });
  const run = <T>(work: (db: Database) => Promise<T>) => withDatabase(readEnv(), io, work);

  connections
    .command('list')
    .description("list an organization's connections")
    .requiredOption('--organization <slug>', 'organization slug or id')
    .option('--json', 'print them as JSON')
    .action(async (options: { organization: string; json?: boolean }) => {
      const views = await run((db) => admin(db).list(cliPrincipal(), options.organization));
      if (options.json) return io.out(json(views));
      if (views.length === 0) return io.out(`${options.organization} has no connections yet.\n`);
      const rows = views.map((view) => [
        view.key,
        view.id,
        view.type,
        view.enabled ? 'enabled' : 'disabled',
        view.managedBy ?? '-',
        formatTime(view.updatedAt),
      ]);
      io.out(table(['KEY', 'ID', 'TYPE', 'STATE', 'MANAGED BY', 'UPDATED'], rows));
    });

  connections
    .command('show')
    .description('show one connection (never its secret)')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the connection key')
    .option('--json', 'print it as JSON')
    .action(async (options: { organization: string; key: string; json?: boolean }) => {
      const view = await run((db) => admin(db).get(cliPrincipal(), options.organization, options.key));
      io.out(options.json ? json(view) : describe(view));
    });

  connections
    .command('add')
    .description('add a connection from a YAML or JSON file')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--file <path>', 'the connection, as the admin API takes it')
    .option('--json', 'print the connection as JSON')
    .action(async (options: { organization: string; file: string; json?: boolean }) => {
      const raw = await readConnectionFile(options.file);
      const input = parseOptions(connectionCreateSchema, raw, identity(raw));
      const view = await run((db) => admin(db).create(cliPrincipal(), options.organization, input));
      io.out(options.json ? json(view) : `added ${describe(view)}`);
    });

  connections
    .command('update')
    .description('change a connection: the file lists the members to change (null removes one)')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the connection key')
    .requiredOption('--file <path>', 'the members to change')
    .option('--json', 'print the connection as JSON')
    .action(async (options: { organization: string; key: string; file: string; json?: boolean }) => {
      const raw = await readConnectionFile(options.file);
      const changes = parseOptions(connectionUpdateSchema, raw, identity(raw));
      const view = await run((db) =>
        admin(db).update(cliPrincipal(), options.organization, options.key, changes),
      );
      io.out(options.json ? json(view) : `updated ${describe(view)}`);
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    connections
      .command(name)
      .description(`${name} a connection (a disabled one never routes a sign-in)`)
      .requiredOption('--organization <slug>', 'organization slug or id')
      .requiredOption('--key <key>', 'the connection key')
      .option('--json', 'print the connection as JSON')
      .action(async (options: { organization: string; key: string; json?: boolean }) => {
        const view = await run((db) =>
          admin(db).update(cliPrincipal(), options.organization, options.key, { enabled }),
        );
        io.out(options.json ? json(view) : `${options.key} is ${enabled ? 'enabled' : 'disabled'}\n`);
      });
  }

  connections
    .command('rotate-sp-key')
    .description("replace a SAML connection's SP key pair (then give the IdP the new SP metadata)")
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the connection key')
    .option('--json', 'print the connection as JSON')
    .action(async (options: { organization: string; key: string; json?: boolean }) => {
      const view = await run((db) =>
        admin(db).rotateSpCredential(cliPrincipal(), options.organization, options.key),
      );
      if (options.json) return io.out(json(view));
      const expires = view.spCertificateExpiresAt ? formatTime(view.spCertificateExpiresAt) : 'unknown';
      io.out(
        `${view.key} has a new SP key pair (certificate valid until ${expires}); update the IdP's copy of the SP metadata\n`,
      );
    });

  connections
    .command('remove')
    .description('delete a connection and the identities linked through it')
    .requiredOption('--organization <slug>', 'organization slug or id')
    .requiredOption('--key <key>', 'the connection key')
    .option('--json', 'print what was removed as JSON')
    .action(async (options: { organization: string; key: string; json?: boolean }) => {
      await run((db) => admin(db).remove(cliPrincipal(), options.organization, options.key));
      const removed = { organization: options.organization, key: options.key, removed: true };
      io.out(options.json ? json(removed) : `removed ${options.key} from ${options.organization}\n`);
    });
}
