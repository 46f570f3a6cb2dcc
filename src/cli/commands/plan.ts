import type { Command } from 'commander';
import { loadConfigFile } from '../../config/declarative/load.js';
import { planConfig, summarize } from '../../domain/config/plan.js';
import { configDeps, readEnv, withDatabase, type Io } from '../context.js';
import { json } from '../format.js';
import { planJson, planNotes, planSummaryLine, planTable } from '../plan-output.js';

export function registerPlan(program: Command, io: Io): void {
  program
    .command('plan')
    .description('show what `apply` would change, without writing anything')
    .requiredOption('-f, --file <path>', 'declarative config file (YAML)')
    .option('--json', 'print the plan as JSON')
    .action(async (options: { file: string; json?: boolean }) => {
      const env = readEnv();
      // The file is validated before the database is opened: a typo needs no database to report.
      const desired = await loadConfigFile(options.file);
      const deps = configDeps(env);
      const entries = await withDatabase(env, io, (db) => planConfig(db, desired, deps));
      io.out(
        options.json
          ? json(planJson(entries))
          : planTable(entries) + planSummaryLine(summarize(entries), entries) + planNotes(entries),
      );
    });
}
