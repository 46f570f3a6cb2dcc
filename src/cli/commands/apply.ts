import type { Command } from 'commander';
import { loadConfigFile } from '../../config/declarative/load.js';
import { applyConfig } from '../../domain/config/apply.js';
import { DomainError } from '../../domain/errors.js';
import { CliError, errorReason, EXIT_INVALID_INPUT, exitCodeFor } from '../errors.js';
import { configDeps, readEnv, withDatabase, type Io } from '../context.js';
import { json } from '../format.js';
import { applySummaryLine, planNotes, planTable } from '../plan-output.js';

export function registerApply(program: Command, io: Io): void {
  program
    .command('apply')
    .description(
      'make clients, local users and organizations (with their roles, domains, connections and directories) match the file, in one transaction',
    )
    .requiredOption('-f, --file <path>', 'declarative config file (YAML)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { file: string; json?: boolean }) => {
      const env = readEnv();
      const desired = await loadConfigFile(options.file);
      const deps = { ...configDeps(env), source: options.file };
      const result = await withDatabase(env, io, async (db) => {
        try {
          return await applyConfig(db, desired, deps);
        } catch (error) {
          // A rule of the model (a domain verified elsewhere) keeps its own exit code.
          const code = error instanceof DomainError ? exitCodeFor(error) : EXIT_INVALID_INPUT;
          throw new CliError(`apply failed and nothing was written: ${errorReason(error)}`, code);
        }
      });
      io.out(
        options.json
          ? json(result)
          : planTable(result.entries) +
              applySummaryLine(result.summary, result.entries) +
              planNotes(result.entries),
      );
    });
}
