import type { Command } from 'commander';
import { allPages } from '../../domain/all-pages.js';
import { impersonationRequestSchema } from '../../domain/impersonation/impersonation-input.js';
import type { ImpersonationView } from '../../domain/impersonation/impersonation-view.js';
import { createImpersonationsAdmin } from '../../domain/impersonation/impersonations-admin.js';
import { cliPrincipal, collect, parseOptions } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { CliError, EXIT_INVALID_INPUT } from '../errors.js';
import { formatTime, json, table } from '../format.js';

interface RequestOptions {
  organization: string;
  user: string;
  reason: string;
  readOnly?: boolean;
  permission?: string[];
  duration: string;
  json?: boolean;
}

interface DecisionOptions {
  organization: string;
  onBehalfOf: string;
  json?: boolean;
}

const scopeOf = (view: ImpersonationView) => (view.readOnly ? 'read-only' : view.permissions.join(' '));

/** One line saying where a request stands. */
const summary = (view: ImpersonationView) =>
  `impersonation ${view.id}: ${view.status}` +
  (view.endsAt && view.status === 'active' ? ` until ${formatTime(view.endsAt)}` : '') +
  (view.approver ? ` (decided by ${view.approver.type}:${view.approver.id})` : '') +
  '\n';

export function registerImpersonation(program: Command, io: Io): void {
  const impersonation = program
    .command('impersonation')
    .description('support access: act as a member of an organization, with its approval')
    .addHelpText(
      'after',
      '\nThe organization decides (security_policies.impersonation: allowed, approval, max_duration).\n' +
        'The handle printed by `request` is exchanged at /token (RFC 8693, subject_token_type\n' +
        'urn:gatehouse:params:oauth:token-type:impersonation) by a client whose token_exchange policy\n' +
        'allows impersonation. Every step is in the audit log.\n',
    );
  const run = <T>(work: (admin: ReturnType<typeof createImpersonationsAdmin>) => Promise<T>) =>
    withDatabase(readEnv(), io, (db) => work(createImpersonationsAdmin(db)));

  impersonation
    .command('request')
    .description('request to act as a member; prints the exchange handle once')
    .requiredOption('--organization <org>', 'organization id or slug')
    .requiredOption('--user <user>', 'the member: user id or email')
    .requiredOption('--reason <text>', 'why (shown to the approver and kept in the audit log)')
    .option('--read-only', 'tokens carry no roles, permissions or API scopes')
    .option('--permission <name>', 'a permission the task needs (repeatable)', collect)
    .requiredOption('--duration <duration>', 'how long once started, at most 1h (e.g. 30m)')
    .option('--json', 'print the request and its handle as JSON')
    .action(async (options: RequestOptions) => {
      if (Boolean(options.readOnly) === Boolean(options.permission?.length)) {
        throw new CliError('give either --read-only or --permission (one or more)', EXIT_INVALID_INPUT);
      }
      const input = parseOptions(
        impersonationRequestSchema,
        {
          user: options.user,
          reason: options.reason,
          scope: options.readOnly ? 'read_only' : { permissions: options.permission },
          duration: options.duration,
        },
        { user: '--user', reason: '--reason', scope: '--permission', duration: '--duration' },
      );
      const { impersonation: view, handle } = await run((admin) =>
        admin.request(cliPrincipal(), options.organization, input),
      );
      if (options.json) {
        io.out(json({ ...view, handle }));
        return;
      }
      io.out(`${summary(view)}\n  ${handle}\n\n`);
      io.err(
        view.status === 'requested'
          ? 'An admin of the organization must approve it before the handle works. Copy the handle now: it is not shown again.\n'
          : 'Copy the handle now: it is not shown again.\n',
      );
    });

  for (const verdict of ['approve', 'deny'] as const) {
    impersonation
      .command(verdict)
      .description(`${verdict} a request on behalf of an admin member of the organization`)
      .argument('<id>', 'impersonation id (imp_...)')
      .requiredOption('--organization <org>', 'organization id or slug')
      .requiredOption('--on-behalf-of <user>', 'the admin member whose decision this records (id or email)')
      .option('--json', 'print the request as JSON')
      .action(async (id: string, options: DecisionOptions) => {
        const view = await run((admin) =>
          admin.decide(cliPrincipal(), options.organization, id, verdict, options.onBehalfOf),
        );
        io.out(options.json ? json(view) : summary(view));
      });
  }

  impersonation
    .command('revoke')
    .description('end it at once: exchanges are refused and its tokens introspect inactive')
    .argument('<id>', 'impersonation id (imp_...)')
    .requiredOption('--organization <org>', 'organization id or slug')
    .option('--json', 'print the request as JSON')
    .action(async (id: string, options: { organization: string; json?: boolean }) => {
      const view = await run((admin) => admin.revoke(cliPrincipal(), options.organization, id));
      io.out(options.json ? json(view) : summary(view));
    });

  impersonation
    .command('list')
    .description("list an organization's impersonation requests")
    .requiredOption('--organization <org>', 'organization id or slug')
    .option('--json', 'print the requests as JSON')
    .action(async (options: { organization: string; json?: boolean }) => {
      const views = await run((admin) =>
        allPages((page) => admin.list(cliPrincipal(), options.organization, page)),
      );
      if (options.json) {
        io.out(json(views));
        return;
      }
      if (views.length === 0) {
        io.out('No impersonation requests for this organization.\n');
        return;
      }
      const rows = views.map((view) => [
        view.id,
        view.status,
        view.userId,
        `${view.operator.type}:${view.operator.name}`,
        scopeOf(view),
        formatTime(view.requestedAt),
        view.endsAt ? formatTime(view.endsAt) : '-',
      ]);
      io.out(table(['ID', 'STATUS', 'USER', 'OPERATOR', 'SCOPE', 'REQUESTED', 'ENDS'], rows));
    });
}
