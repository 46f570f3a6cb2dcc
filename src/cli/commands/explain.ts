import type { Command } from 'commander';
import { createRoutingAdmin } from '../../domain/organizations/routing-admin.js';
import { explanationDocument } from '../../domain/realm-discovery/explanation.js';
import type { ExplainLine } from '../../domain/realm-discovery/route-login.js';
import type { NamedDecision } from '../../domain/realm-discovery/routing-loader.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { json, table } from '../format.js';

interface ExplainOptions {
  organization?: string;
  connection?: string;
  loginHint?: string;
  domainHint?: string;
  json?: boolean;
}

export function registerExplain(program: Command, io: Io): void {
  program
    .command('explain')
    .description('show which connection would sign in an email, and why, rule by rule')
    .argument('[email]', 'the email as the user would type it')
    .option('--organization <slug>', 'organization hint (slug or id), as an app sends `organization`')
    .option('--connection <key>', 'connection hint: a key of the hinted or owning organization, or an id')
    .option('--login-hint <email>', 'used as the email when none is given')
    .option('--domain-hint <domain>', 'used as the domain when no email is known')
    .option('--json', 'print the decision and every step as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  gatehouse explain jane@underwriters.example\n' +
        '  gatehouse explain --organization maritime --domain-hint uw.example\n',
    )
    .action(async (email: string | undefined, options: ExplainOptions) => {
      const hints = {
        organization: options.organization,
        connection: options.connection,
        loginHint: options.loginHint,
        domainHint: options.domainHint,
      };
      const env = readEnv();
      const named = await withDatabase(env, io, (db) =>
        createRoutingAdmin(db).explain(cliPrincipal(), email, hints),
      );
      io.out(options.json ? json(explanationDocument(named)) : renderExplanation(named));
    });
}

function outcome({ decision, organization, connection }: NamedDecision): string {
  if (decision.kind === 'local') return 'local sign-in (password)';
  if (decision.kind === 'refused') return 'refused';
  return `connection ${connection?.key ?? decision.connectionId} (${decision.connectionId}) of ${organization?.slug ?? decision.organizationId}`;
}

function stepRow(line: ExplainLine): string[] {
  if (!line.rule) return [line.step, '', line.matched ? 'yes' : 'no', line.why];
  const { number, domain, connection, priority } = line.rule;
  const result = line.selected ? 'selected' : line.matched ? 'matched' : 'no';
  return [`rule #${number}`, `${domain} -> ${connection} (priority ${priority})`, result, line.why];
}

/** The decision first, then every step in the order routing took it. */
function renderExplanation(named: NamedDecision): string {
  const { decision } = named;
  return (
    `Decision: ${outcome(named)}\nReason:   ${decision.reason}\n\n` +
    table(['STEP', 'RULE', 'RESULT', 'WHY'], decision.explain.map(stepRow))
  );
}
