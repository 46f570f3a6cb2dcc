import type { Command } from 'commander';
import { createRoutingAdmin } from '../../domain/organizations/routing-admin.js';
import { cliPrincipal } from '../admin-principal.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { json, table } from '../format.js';

/** `gatehouse orgs routing <organization>`: the rules and fallback as stored, by connection key. */
export function registerOrgRouting(orgs: Command, io: Io): void {
  orgs
    .command('routing')
    .description("show an organization's routing rules, in declaration order, and its fallback connection")
    .argument('<organization>', 'slug or id')
    .option('--json', 'print the routing as JSON (the admin API document)')
    .addHelpText('after', '\nSee why an email goes where it goes with `gatehouse explain <email>`.\n')
    .action(async (ref: string, options: { json?: boolean }) => {
      const env = readEnv();
      const routing = await withDatabase(env, io, (db) => createRoutingAdmin(db).get(cliPrincipal(), ref));
      if (options.json) {
        io.out(json(routing));
        return;
      }
      const rules =
        routing.rules.length === 0
          ? '  (no rules)\n'
          : table(
              ['RULE', 'DOMAIN', 'PRIORITY', 'CONNECTION'],
              routing.rules.map((rule, index) => [
                `#${index + 1}`,
                rule.domain,
                String(rule.priority),
                rule.connection,
              ]),
            )
              .split('\n')
              .map((line) => (line ? `  ${line}` : line))
              .join('\n');
      io.out(
        `Routing of ${ref}\n${rules}\nFallback connection: ${routing.fallback_connection ?? '(none)'}\n` +
          'Lower priority first; ties go to the more specific domain, then to the earlier rule.\n',
      );
    });
}
