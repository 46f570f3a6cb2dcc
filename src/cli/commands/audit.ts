import type { Command } from 'commander';
import { z } from 'zod';
import { kekFileExists, loadKeyEncryptionKey } from '../../config/secrets.js';
import { auditFilterOf, auditQuerySchema } from '../../domain/audit/audit-query.js';
import { auditRecordView } from '../../domain/audit/audit-record-view.js';
import { createAuditAdmin } from '../../domain/audit/audit-admin.js';
import { createAuditSealer, deriveAuditKey, PLATFORM_CHAIN } from '../../domain/audit/record-hash.js';
import { pruneAuditLog, retentionCutoff } from '../../domain/audit/retention.js';
import { verifyAuditLog, type AuditVerification } from '../../domain/audit/verify-audit-log.js';
import { findOrganization } from '../../domain/organizations/tenancy-scope.js';
import type { Env } from '../../config/env.js';
import type { OpenedDatabase } from '../../data/database.js';
import { cliPrincipal, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT, EXIT_NOT_FOUND } from '../errors.js';
import { formatTime, json, table } from '../format.js';

/** `gatehouse audit verify` found a chain that does not check out (edited, deleted or inserted records). */
export const EXIT_AUDIT_BROKEN = 6;

interface FilterOptions {
  organization?: string;
  actorType?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

const FLAGS = {
  actor_type: '--actor-type',
  actor_id: '--actor-id',
  action: '--action',
  target_type: '--target-type',
  target_id: '--target-id',
  from: '--from',
  to: '--to',
};

function filterFrom(options: FilterOptions) {
  const query = parseOptions(
    auditQuerySchema,
    {
      actor_type: options.actorType,
      actor_id: options.actorId,
      action: options.action,
      target_type: options.targetType,
      target_id: options.targetId,
      from: options.from,
      to: options.to,
    },
    FLAGS,
  );
  return auditFilterOf(query);
}

const withFilters = (command: Command) =>
  command
    .option('--organization <slug>', "only this organization's records (slug or id)")
    .option('--actor-type <type>', 'api_key, cli, config, user, system, directory or client')
    .option('--actor-id <id>', 'the actor’s id (key_..., usr_..., an operator name)')
    .option('--action <action>', 'exact (role.update), or a prefix ending in * (login.*)')
    .option('--target-type <type>', 'what was acted on: user, role, organization...')
    .option('--target-id <id>', "the target's id")
    .option('--from <instant>', 'RFC 3339: records at or after it (2026-01-31T00:00:00Z)')
    .option('--to <instant>', 'RFC 3339: records before it');

/** The audit key the server seals with: the server's key-encryption key, never a new one. */
function auditSealer(env: Env) {
  if (!env.GATEHOUSE_KEK && !kekFileExists(env)) {
    throw new CliError(
      "no key-encryption key: set GATEHOUSE_KEK (or KEYS_DIR) to the server's, which sealed the audit log",
      EXIT_INVALID_INPUT,
    );
  }
  return createAuditSealer(deriveAuditKey(loadKeyEncryptionKey(env)));
}

/** The chain of `--organization`: an id names it even after the organization was deleted. */
async function chainKeysOf(db: OpenedDatabase, options: { organization?: string; platform?: boolean }) {
  if (options.platform) return [PLATFORM_CHAIN];
  if (options.organization === undefined) return undefined;
  if (options.organization.startsWith('org_')) return [options.organization];
  const organization = await findOrganization(db, options.organization);
  if (!organization) throw new CliError(`organization ${options.organization} was not found`, EXIT_NOT_FOUND);
  return [organization.id];
}

export function registerAudit(program: Command, io: Io): void {
  const audit = program
    .command('audit')
    .description('the audit log: verify its hash chains, list and export records, apply retention');
  registerVerify(audit, io);
  registerList(audit, io);
  registerExport(audit, io);
  registerPrune(audit, io);
}

/** `audit verify`: walks the chains; exit 6 when one is broken. */
function registerVerify(audit: Command, io: Io): void {
  audit
    .command('verify')
    .description('check every chain (or one) for edited, deleted or inserted records')
    .option('--organization <slug>', "only this organization's chain (slug or id)")
    .option('--platform', 'only the chain of records without an organization')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `\nExit codes: 0 every chain checked is intact; ${EXIT_AUDIT_BROKEN} a chain is broken (the report names the\n` +
        'first broken record of each chain and why). Needs the server’s key-encryption key.\n',
    )
    .action(async (options: { organization?: string; platform?: boolean; json?: boolean }) => {
      const env = readEnv();
      const sealer = auditSealer(env);
      const result = await withDatabase(env, io, async (db) => {
        const chainKeys = await chainKeysOf(db, options);
        return verifyAuditLog(db.audit, sealer, chainKeys ? { chainKeys } : {});
      });
      io.out(options.json ? json(result) : renderVerification(result));
      if (!result.intact) {
        const broken = result.chains.filter((chain) => chain.finding).length;
        throw new CliError(`the audit log fails verification: ${broken} broken chain(s)`, EXIT_AUDIT_BROKEN);
      }
    });
}

/** `audit list`: one page of records, as a table or JSON. */
function registerList(audit: Command, io: Io): void {
  withFilters(audit.command('list'))
    .description('list audit records, oldest first')
    .option('--limit <n>', 'at most this many records (default 50)', '50')
    .option('--after <id>', 'records after this record id (to page on)')
    .option('--json', 'print the records as JSON')
    .action(async (options: FilterOptions & { limit: string; after?: string; json?: boolean }) => {
      const filter = filterFrom(options);
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new CliError('--limit: a whole number from 1 to 10000', EXIT_INVALID_INPUT);
      }
      const env = readEnv();
      const records = await withDatabase(env, io, (db) =>
        createAuditAdmin(db).list(cliPrincipal(), options.organization, filter, {
          after: options.after,
          limit,
        }),
      );
      if (options.json) {
        io.out(json(records.map(auditRecordView)));
        return;
      }
      if (records.length === 0) {
        io.out('No audit records match.\n');
        return;
      }
      const rows = records.map((record) => [
        record.id,
        formatTime(record.at),
        record.organizationId ?? '-',
        `${record.actor.type}:${record.actor.id}`,
        record.action,
        `${record.targetType}:${record.targetId}`,
      ]);
      io.out(table(['ID', 'AT', 'ORGANIZATION', 'ACTOR', 'ACTION', 'TARGET'], rows));
    });
}

/** `audit export`: every matching record as JSON lines, read a page at a time. */
function registerExport(audit: Command, io: Io): void {
  withFilters(audit.command('export'))
    .description('write every matching record as JSON lines to stdout, oldest first')
    .addHelpText(
      'after',
      '\nExample:\n  gatehouse audit export --organization acme --from 2026-01-01T00:00:00Z > acme.jsonl\n',
    )
    .action(async (options: FilterOptions) => {
      const filter = filterFrom(options);
      const env = readEnv();
      await withDatabase(env, io, async (db) => {
        const records = await createAuditAdmin(db).export(cliPrincipal(), options.organization, filter);
        for await (const record of records) io.out(`${JSON.stringify(auditRecordView(record))}\n`);
      });
    });
}

/** `audit prune`: retention on demand. */
function registerPrune(audit: Command, io: Io): void {
  audit
    .command('prune')
    .description('delete records older than the retention period; the chains still verify afterwards')
    .option('--older-than-days <days>', 'instead of AUDIT_RETENTION_DAYS')
    .option('--before <instant>', 'RFC 3339: delete the records before this instant instead')
    .option('--json', 'print the result as JSON')
    .action(async (options: { olderThanDays?: string; before?: string; json?: boolean }) => {
      const env = readEnv();
      const cutoff = pruneCutoff(options, env.AUDIT_RETENTION_DAYS);
      const result = await withDatabase(env, io, (db) => pruneAuditLog(db, cutoff, cliPrincipal().actor));
      if (options.json) io.out(json(result));
      else {
        io.out(
          `deleted ${result.deleted} audit record(s) from before ${formatTime(cutoff)} in ${result.chains.length} chain(s)\n`,
        );
        for (const finding of result.broken) {
          io.err(
            `chain ${finding.chainKey} kept from record ${finding.recordId ?? '-'}: ${finding.detail}\n`,
          );
        }
      }
      if (result.broken.length > 0) {
        throw new CliError(
          `${result.broken.length} broken chain(s) were pruned only up to the break: run \`gatehouse audit verify\``,
          EXIT_AUDIT_BROKEN,
        );
      }
    });
}

/** Broken chains first, one line each; then one line for the whole log. */
function renderVerification(result: AuditVerification): string {
  const lines = result.chains.flatMap(({ finding }) => {
    if (!finding) return [];
    const where = finding.recordId ? `record ${finding.recordId} (sequence ${finding.seq})` : 'its head';
    return [`BROKEN  chain ${finding.chainKey} at ${where}: ${finding.detail} [${finding.kind}]`];
  });
  const checked = result.chains.reduce((sum, chain) => sum + chain.checked, 0);
  const preChain = result.chains.reduce((sum, chain) => sum + chain.preChain, 0);
  const broken = lines.length;
  const older = preChain > 0 ? `, ${preChain} written before the chain existed (not checkable)` : '';
  lines.push(
    broken === 0
      ? `intact: ${result.chains.length} chain(s), ${checked} record(s) checked${older}`
      : `${broken} of ${result.chains.length} chain(s) broken; ${checked} record(s) checked before the breaks${older}`,
  );
  if (broken > 0) {
    lines.push(
      'A record or head that does not match can also mean this command runs with another key-encryption key ' +
        'than the server (GATEHOUSE_KEK, KEYS_DIR/kek).',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** --before, else --older-than-days, else AUDIT_RETENTION_DAYS (which may keep everything). */
function pruneCutoff(options: { olderThanDays?: string; before?: string }, retentionDays: number): Date {
  const now = new Date();
  if (options.before !== undefined) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(options.before);
    if (!parsed.success || new Date(parsed.data) > now) {
      throw new CliError('--before: an RFC 3339 instant, not in the future', EXIT_INVALID_INPUT);
    }
    return new Date(parsed.data);
  }
  const days = options.olderThanDays === undefined ? retentionDays : daysOption(options.olderThanDays);
  const cutoff = retentionCutoff(days, now);
  if (!cutoff) {
    throw new CliError(
      'retention keeps every record (AUDIT_RETENTION_DAYS is 0): pass --older-than-days <days> or --before <instant>',
      EXIT_INVALID_INPUT,
    );
  }
  return cutoff;
}

function daysOption(text: string): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) {
    throw new CliError('--older-than-days: a whole number of days, at least 1', EXIT_INVALID_INPUT);
  }
  return Number(text);
}
