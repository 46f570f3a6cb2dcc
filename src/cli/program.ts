import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../lib/project-paths.js';
import { registerApiKeys } from './commands/api-keys.js';
import { registerApply } from './commands/apply.js';
import { registerDomains } from './commands/domains.js';
import { registerKeys } from './commands/keys.js';
import { registerMembers } from './commands/members.js';
import { registerMigrate } from './commands/migrate.js';
import { registerOrgs } from './commands/orgs.js';
import { registerPlan } from './commands/plan.js';
import { registerUsers } from './commands/users.js';
import type { Io } from './context.js';

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

/**
 * The `gatehouse` command tree. exitOverride makes commander throw instead of exiting, so main
 * decides exit codes and every database is closed before the process ends.
 */
export function buildProgram(io: Io, readStdin: () => Promise<string>): Command {
  const program = new Command('gatehouse')
    .description(
      'Gatehouse operator commands: migrations, declarative config, signing keys, users, organizations',
    )
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (text, write) => write(`gatehouse: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run `gatehouse --help` for usage)');
  registerMigrate(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerKeys(program, io);
  registerUsers(program, io, readStdin);
  registerOrgs(program, io);
  registerMembers(program, io);
  registerDomains(program, io);
  registerApiKeys(program, io);
  return program;
}
