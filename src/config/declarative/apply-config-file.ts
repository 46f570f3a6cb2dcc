import { applyConfig, type ApplyResult } from '../../domain/config/apply.js';
import type { ConfigDeps, PlanEntry } from '../../domain/config/desired-state.js';
import { planConfig } from '../../domain/config/plan.js';
import type { Database } from '../../domain/ports/repositories.js';
import { loadConfigFile } from './load.js';

export interface ConfigFileDeps extends ConfigDeps {
  db: Database;
  /** Source of `${ENV_VAR}` references; process.env when omitted. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads, validates and applies a declarative file in one transaction (boot with GATEHOUSE_CONFIG,
 * `gatehouse apply`). Throws ConfigFileError for an invalid file; on any error nothing is written.
 */
export async function applyConfigFile(path: string, deps: ConfigFileDeps): Promise<ApplyResult> {
  const desired = await loadConfigFile(path, deps.env ?? process.env);
  return applyConfig(deps.db, desired, { source: path, ...deps });
}

/** What applyConfigFile would change, without writing anything. */
export async function planConfigFile(path: string, deps: ConfigFileDeps): Promise<PlanEntry[]> {
  const desired = await loadConfigFile(path, deps.env ?? process.env);
  return planConfig(deps.db, desired, deps);
}
