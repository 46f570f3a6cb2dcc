import type { Command } from 'commander';
import type { Io } from '../context.js';
import { registerAddDirectory } from './config-add-directory.js';
import { registerAddSso } from './config-add-sso.js';

/** `gatehouse config`: changes to the declarative file (or, with --apply, to a running Gatehouse). */
export function registerConfig(program: Command, io: Io): void {
  const config = program
    .command('config')
    .description(
      'add SSO connections and SCIM directories to gatehouse.yaml (or --apply them through the admin API)',
    );
  registerAddSso(config, io);
  registerAddDirectory(config, io);
}
