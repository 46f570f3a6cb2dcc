import type { Repositories } from '../ports/repositories.js';
import { planClients } from './client-plan.js';
import type { ConfigDeps, DesiredState, PlanAction, PlanEntry, PlannedChange } from './desired-state.js';
import { planUsers } from './user-plan.js';

export type PlanSummary = Record<PlanAction, number>;

/** Every change needed to make the stored model match the file, with the writes to make it so. */
export async function planChanges(
  repos: Repositories,
  desired: DesiredState,
  deps: ConfigDeps,
): Promise<PlannedChange[]> {
  return [
    ...(await planClients(repos, desired.clients, deps.envelope)),
    ...(await planUsers(repos, desired.users, deps.hasher)),
  ];
}

/** The plan as shown to operators: what would change, never a secret. Reads only. */
export async function planConfig(
  repos: Repositories,
  desired: DesiredState,
  deps: ConfigDeps,
): Promise<PlanEntry[]> {
  return (await planChanges(repos, desired, deps)).map(toEntry);
}

export function toEntry({ kind, id, action, changes }: PlannedChange): PlanEntry {
  return { kind, id, action, changes };
}

export function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const entry of entries) summary[entry.action] += 1;
  return summary;
}
