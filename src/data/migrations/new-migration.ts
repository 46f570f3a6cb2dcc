/**
 * Development entry point: `npm run migration:new -- <name>` writes
 * prisma/migrations/<timestamp>_<name>/migration.sql for the changes in prisma/schema.prisma.
 * Review the SQL before committing it; the runner applies it verbatim.
 */
import { resolve } from 'node:path';
import { createMigration } from './create-migration.js';

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (!name) {
    process.stderr.write('usage: npm run migration:new -- <name>\n');
    return 2;
  }
  const root = process.cwd();
  const created = await createMigration({
    schemaPath: resolve(root, 'prisma/schema.prisma'),
    migrationsDir: resolve(root, 'prisma/migrations'),
    name,
  });
  if (created.directory === undefined) {
    process.stdout.write('prisma/schema.prisma matches the migrations: nothing to write\n');
  } else {
    process.stdout.write(`wrote ${created.directory}/migration.sql\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
