import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../lib/project-paths.js';
import { registerApiKeys } from './commands/api-keys.js';
import { registerApply } from './commands/apply.js';
import { registerAudit } from './commands/audit.js';
import { registerConfig } from './commands/config.js';
import { registerConnections } from './commands/connections.js';
import { registerDirectories } from './commands/directories.js';
import { registerDomains } from './commands/domains.js';
import { registerExplain } from './commands/explain.js';
import { registerExplainLogin } from './commands/explain-login.js';
import { registerFederations } from './commands/federations.js';
import { registerImpersonation } from './commands/impersonation.js';
import { registerInit } from './commands/init.js';
import { registerKeys } from './commands/keys.js';
import { registerMembers } from './commands/members.js';
import { registerMcp } from './commands/mcp.js';
import { registerMfa } from './commands/mfa.js';
import { registerMigrate } from './commands/migrate.js';
import { registerOrgs } from './commands/orgs.js';
import { registerPlan } from './commands/plan.js';
import { registerPortal } from './commands/portal.js';
import { registerSessions } from './commands/sessions.js';
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
      'Gatehouse operator commands: migrations, declarative config, signing keys, users, organizations, routing',
    )
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: (text, write) => write(`gatehouse: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run `gatehouse --help` for usage)');
  registerInit(program, io);
  registerMigrate(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerConfig(program, io);
  registerKeys(program, io);
  registerUsers(program, io, readStdin);
  registerMfa(program, io);
  registerSessions(program, io);
  registerOrgs(program, io);
  registerMembers(program, io);
  registerDomains(program, io);
  registerConnections(program, io);
  registerDirectories(program, io);
  registerPortal(program, io);
  registerApiKeys(program, io);
  registerImpersonation(program, io);
  registerFederations(program, io);
  registerExplain(program, io);
  registerExplainLogin(program, io);
  registerAudit(program, io);
  registerMcp(program, io);
  return program;
}
