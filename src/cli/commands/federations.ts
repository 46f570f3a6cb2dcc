import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { OpenedDatabase } from '../../data/database.js';
import { allPages } from '../../domain/all-pages.js';
import {
  createFederationsAdmin,
  type FederationDetail,
  type FederationsAdminDeps,
} from '../../domain/federations/federations-admin.js';
import type { FederationRecord } from '../../domain/ports/federations.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { withSessionServices } from '../shared-sessions.js';
import { formatTime, json, table } from '../format.js';

type Revoke = NonNullable<FederationsAdminDeps['revokePartnerGrants']>;

/** Partner revocation through the shared stores (withSessionServices); loaded on demand. */
async function withPartnerRevocation<T>(
  env: Env & { REDIS_URL: string },
  io: Io,
  db: OpenedDatabase,
  work: (revoke: Revoke) => Promise<T>,
): Promise<T> {
  const { createPartnerRevocation } = await import('../../oidc/partner-revocation.js');
  return withSessionServices(env, io, db, (services) =>
    work(
      createPartnerRevocation({
        models: services.models,
        endSessions: (userId, organizationId) =>
          services.sessions.endForUser(userId, { organizationId }, 'access_ended'),
        notify: services.logoutDelivery.notify,
        logger: services.logger,
      }),
    ),
  );
}

const state = (federation: FederationRecord) =>
  federation.frozenAt ? `frozen ${formatTime(federation.frozenAt)}` : 'active';

function renderFederation({ federation, members, rules }: FederationDetail): string {
  const slugOf = (id: string) => members.find((member) => member.organizationId === id)?.slug ?? id;
  const facts: [string, string][] = [
    ['id', federation.id],
    ['name', federation.name ?? '-'],
    ['state', state(federation)],
    ...(federation.frozenReason ? ([['frozen because', federation.frozenReason]] as [string, string][]) : []),
    ['managed by', federation.managedBy ?? '-'],
    ['members', members.map((member) => member.slug).join(', ') || '-'],
  ];
  const width = Math.max(...facts.map(([label]) => label.length));
  const head = facts.map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
  const window = (from: Date | null, until: Date | null) =>
    from || until ? `${from ? formatTime(from) : '…'} to ${until ? formatTime(until) : '…'}` : 'always';
  const ruleRows = rules.map((rule) => [
    slugOf(rule.sourceOrganizationId),
    slugOf(rule.targetOrganizationId),
    rule.permissions.join(' '),
    rule.requiresMfa ? 'yes' : 'no',
    rule.ipRestrictions.join(' ') || 'any',
    window(rule.validFrom, rule.validUntil),
  ]);
  const body =
    ruleRows.length === 0
      ? '  (none)\n'
      : table(['SOURCE', 'TARGET', 'PERMISSIONS', 'MFA', 'NETWORKS', 'VALID'], ruleRows)
          .split('\n')
          .map((line) => (line ? `  ${line}` : line))
          .join('\n');
  return `Federation ${federation.slug}\n${head}\nTrust rules:\n${body}`;
}

/** `gatehouse federations list|show|freeze|unfreeze`: partner federations and their kill switch. */
export function registerFederations(program: Command, io: Io): void {
  const federations = program
    .command('federations')
    .description('partner federations: trust rules letting members of one organization act for another');

  federations
    .command('list')
    .description('list federations with their state (active or frozen)')
    .option('--json', 'print the federations as JSON')
    .action(async (options: { json?: boolean }) => {
      const env = readEnv();
      const list = await withDatabase(env, io, (db) =>
        allPages((page) => createFederationsAdmin(db).list(cliPrincipal(), page)),
      );
      if (options.json) return io.out(json(list));
      if (list.length === 0)
        return io.out('No federations yet; declare them under `federations:` in the config file.\n');
      const rows = list.map((f) => [f.slug, f.name ?? '-', state(f), f.managedBy ?? '-', f.id]);
      io.out(table(['SLUG', 'NAME', 'STATE', 'MANAGED BY', 'ID'], rows));
    });

  federations
    .command('show')
    .description('show a federation with its members and trust rules')
    .argument('<federation>', 'slug or id')
    .option('--json', 'print the federation, its members and rules as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const detail = await withDatabase(env, io, (db) => createFederationsAdmin(db).get(cliPrincipal(), ref));
      io.out(options.json ? json(detail) : renderFederation(detail));
    });

  federations
    .command('freeze')
    .description("kill switch: every rule stops now; partners' grants and sessions are revoked")
    .argument('<federation>', 'slug or id')
    .requiredOption('--reason <text>', 'why (audited, shown to operators)')
    .option('--json', 'print the frozen federation as JSON')
    .action(async (ref: string, options: { reason: string; json?: boolean }) => {
      const env = readEnv();
      const redisUrl = env.REDIS_URL;
      if (!redisUrl) {
        throw new CliError(
          'this command needs REDIS_URL: without it sessions live inside the server process; use POST /admin/v1/federations/{federation}/freeze instead',
          EXIT_INVALID_INPUT,
        );
      }
      const reason = options.reason.trim();
      if (!reason) throw new CliError('--reason: say why the federation is frozen', EXIT_INVALID_INPUT);
      const frozen = await withDatabase(env, io, (db) =>
        withPartnerRevocation({ ...env, REDIS_URL: redisUrl }, io, db, (revokePartnerGrants) =>
          createFederationsAdmin(db, { revokePartnerGrants }).freeze(cliPrincipal(), ref, reason),
        ),
      );
      if (options.json) return io.out(json(frozen));
      io.out(
        `Froze federation ${frozen.slug}: its trust rules no longer apply and partner access was revoked. ` +
          `Undo with \`gatehouse federations unfreeze ${frozen.slug}\`.\n`,
      );
    });

  federations
    .command('unfreeze')
    .description('lift the kill switch: the rules apply again (what the freeze revoked stays revoked)')
    .argument('<federation>', 'slug or id')
    .option('--json', 'print the federation as JSON')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const federation = await withDatabase(env, io, (db) =>
        createFederationsAdmin(db).unfreeze(cliPrincipal(), ref),
      );
      if (options.json) return io.out(json(federation));
      io.out(`Unfroze federation ${federation.slug}: partners may sign in again.\n`);
    });
}
