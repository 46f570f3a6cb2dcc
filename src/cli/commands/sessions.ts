import type { Command } from 'commander';
import type { SessionRecord } from '../../domain/ports/sessions.js';
import { deviceLabel } from '../../domain/sessions/device-label.js';
import type { SessionsAdmin } from '../../domain/sessions/sessions-admin.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json, table } from '../format.js';
import { withSharedSessions } from '../shared-sessions.js';

interface Target {
  session?: string;
  user?: string;
  organization?: string;
}

/** Exactly one of the allowed options names what the command acts on. */
function oneTarget(options: Target, allowed: (keyof Target)[]): [keyof Target, string] {
  const given = allowed.filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    const flags = allowed.map((name) => `--${name}`).join(', ');
    throw new CliError(`give exactly one of ${flags}`, EXIT_INVALID_INPUT);
  }
  return [given[0]!, options[given[0]!]!];
}

/** Runs `work` against the shared session registry, which lives in Redis. */
async function withSessions<T>(io: Io, work: (admin: SessionsAdmin) => Promise<T>): Promise<T> {
  const env = readEnv();
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    throw new CliError(
      'this command needs REDIS_URL: without it sessions live inside the server process; use the admin API instead',
      EXIT_INVALID_INPUT,
    );
  }
  return withDatabase(env, io, (db) => withSharedSessions({ ...env, REDIS_URL: redisUrl }, io, db, work));
}

const sessionRow = (record: SessionRecord) => [
  record.id,
  record.userId,
  record.organizationId ?? '-',
  deviceLabel(record.userAgent),
  record.ip ?? '-',
  formatTime(record.createdAt),
  formatTime(record.lastSeenAt),
  formatTime(record.expiresAt),
];

/** `gatehouse sessions`: browser sessions per user or organization, and ending them (needs REDIS_URL). */
export function registerSessions(program: Command, io: Io): void {
  const sessions = program
    .command('sessions')
    .description('browser sessions: list and end them per user or organization (needs REDIS_URL)');

  sessions
    .command('list')
    .description('list live sessions, oldest first')
    .option('--user <user>', 'email or user id')
    .option('--organization <organization>', 'organization id or slug')
    .option('--json', 'print them as JSON')
    .action(async (options: Target & { json?: boolean }) => {
      const [kind, ref] = oneTarget(options, ['user', 'organization']);
      const found = await withSessions(io, (admin) =>
        kind === 'user'
          ? admin.listForUser(cliPrincipal(), ref)
          : admin.listForOrganization(cliPrincipal(), ref),
      );
      if (options.json) return io.out(json(found));
      if (found.length === 0) return io.out(`no live sessions for ${ref}\n`);
      const headers = ['ID', 'USER', 'ORGANIZATION', 'DEVICE', 'IP', 'CREATED', 'LAST SEEN', 'EXPIRES'];
      io.out(table(headers, found.map(sessionRow)));
    });

  sessions
    .command('revoke')
    .description("end sessions: one, a user's, or an organization's; their applications are told")
    .option('--session <id>', 'one session id')
    .option('--user <user>', 'every session of a user (email or id)')
    .option('--organization <organization>', 'every session signed in for an organization (id or slug)')
    .option('--json', 'print how many sessions ended as JSON')
    .action(async (options: Target & { json?: boolean }) => {
      const [kind, ref] = oneTarget(options, ['session', 'user', 'organization']);
      const ended = await withSessions(io, async (admin) => {
        if (kind === 'session') return (await admin.revoke(cliPrincipal(), ref), 1);
        return kind === 'user'
          ? admin.revokeForUser(cliPrincipal(), ref)
          : admin.revokeForOrganization(cliPrincipal(), ref);
      });
      io.out(options.json ? json({ ended }) : `ended ${ended} session${ended === 1 ? '' : 's'}\n`);
    });
}
