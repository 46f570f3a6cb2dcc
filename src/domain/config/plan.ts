import type { Repositories } from '../ports/repositories.js';
import { planClients } from './client-plan.js';
import {
  configActor,
  PLAN_KINDS,
  type ConfigDeps,
  type DesiredOrganization,
  type DesiredState,
  type PlanAction,
  type PlanEntry,
  type PlanKind,
  type PlannedChange,
} from './desired-state.js';
import { planFederations } from './federation-plan.js';
import { planOrganizations } from './organization-plan.js';
import { planUsers } from './user-plan.js';

export type PlanSummary = Record<PlanAction, number>;
/** Counts per kind of row, only for the kinds the plan mentions, in a stable order. */
export type PlanSummaryByKind = Partial<Record<PlanKind, PlanSummary>>;

/** Every change needed to make the stored model match the file, with the writes to make it so. */
export async function planChanges(
  repos: Repositories,
  desired: DesiredState,
  deps: ConfigDeps,
): Promise<PlannedChange[]> {
  const context = {
    actor: configActor(deps),
    now: deps.now ?? (() => new Date()),
    spCredential: deps.spCredential,
  };
  return [
    ...(await planOrganizations(repos, desired.organizations, deps.envelope, context)),
    ...(await planClients(repos, desired.clients, deps.envelope, context)),
    ...(await planUsers(repos, desired.users, deps.hasher, context)),
    // Last: trust rules name organizations the file may create above.
    ...(await planFederations(repos, desired.federations, declaredSlugs(desired.organizations), context)),
  ];
}

/** Every organization slug the file declares, sub-organizations included. */
function declaredSlugs(organizations: readonly DesiredOrganization[]): Set<string> {
  const slugs = new Set<string>();
  const visit = (list: readonly DesiredOrganization[]) =>
    list.forEach((organization) => (slugs.add(organization.slug), visit(organization.children)));
  visit(organizations);
  return slugs;
}

/** The plan as shown to operators: what would change, never a secret. Reads only. */
export async function planConfig(
  repos: Repositories,
  desired: DesiredState,
  deps: ConfigDeps,
): Promise<PlanEntry[]> {
  return listed(await planChanges(repos, desired, deps));
}

/** The entries of a plan: its changes less the unlisted steps that belong to another entry. */
export const listed = (changes: readonly PlannedChange[]): PlanEntry[] =>
  changes.filter((change) => !change.unlisted).map(toEntry);

export function toEntry({ kind, id, action, changes, notes }: PlannedChange): PlanEntry {
  return { kind, id, action, changes, ...(notes ? { notes } : {}) };
}

const emptySummary = (): PlanSummary => ({ create: 0, update: 0, delete: 0, unchanged: 0 });

export function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const summary = emptySummary();
  for (const entry of entries) summary[entry.action] += 1;
  return summary;
}

export function summarizeByKind(entries: readonly PlanEntry[]): PlanSummaryByKind {
  const byKind: PlanSummaryByKind = {};
  for (const kind of PLAN_KINDS) {
    const ofKind = entries.filter((entry) => entry.kind === kind);
    if (ofKind.length > 0) byKind[kind] = summarize(ofKind);
  }
  return byKind;
}
