import type { Command } from 'commander';
import { migrationsDir } from '../../lib/project-paths.js';
import { readEnv, withDatabase, type Io } from '../context.js';
import { json } from '../format.js';

export function registerMigrate(program: Command, io: Io): void {
  program
    .command('migrate')
    .description('apply pending database migrations (DATABASE_URL, or the embedded database)')
    .option('--json', 'print the migrations applied as JSON')
    .action(async (options: { json?: boolean }) => {
      const env = readEnv();
      const applied = await withDatabase(env, io, (db) => db.migrate(migrationsDir()), {
        migrateEmbedded: false,
      });
      if (options.json) return io.out(json({ applied }));
      if (applied.length === 0) io.out('The database schema is up to date.\n');
      for (const name of applied) io.out(`applied ${name}\n`);
    });
}
