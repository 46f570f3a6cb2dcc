import { PLAN_KINDS, type PlanEntry, type PlanKind } from '../domain/config/desired-state.js';
import { summarize, summarizeByKind, type PlanSummary } from '../domain/config/plan.js';
import { table } from './format.js';

/** The plan as a table; field names only, since values may be secrets. */
export function planTable(entries: readonly PlanEntry[]): string {
  if (entries.length === 0) return 'The file declares nothing and no config-managed rows exist.\n';
  const rows = entries.map((entry) => [entry.kind, entry.id, entry.action, entry.changes.join(', ')]);
  return table(['KIND', 'ID', 'ACTION', 'CHANGES'], rows);
}

const PLURAL: Record<PlanKind, string> = {
  organization: 'organizations',
  role: 'roles',
  domain: 'domains',
  custom_domain: 'custom domains',
  connection: 'connections',
  routing: 'routing',
  directory: 'directories',
  client: 'clients',
  user: 'users',
  federation: 'federations',
  trust_rule: 'trust rules',
};

/** `  organizations: 2 to create, 1 unchanged` per kind the plan touches, zero counts left out. */
function kindLines(entries: readonly PlanEntry[], words: Record<keyof PlanSummary, string>): string {
  const byKind = summarizeByKind(entries);
  return PLAN_KINDS.flatMap((kind) => {
    const counts = byKind[kind];
    if (!counts) return [];
    const parts = (Object.keys(words) as (keyof PlanSummary)[])
      .filter((action) => counts[action] > 0)
      .map((action) => `${counts[action]} ${words[action]}`);
    return [`  ${PLURAL[kind]}: ${parts.join(', ')}\n`];
  }).join('');
}

const PLAN_WORDS = { create: 'to create', update: 'to update', delete: 'to delete', unchanged: 'unchanged' };
const APPLY_WORDS = { create: 'created', update: 'updated', delete: 'deleted', unchanged: 'unchanged' };

export function planSummaryLine(summary: PlanSummary, entries: readonly PlanEntry[] = []): string {
  return (
    `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ${summary.unchanged} unchanged.\n` +
    kindLines(entries, PLAN_WORDS)
  );
}

export function applySummaryLine(summary: PlanSummary, entries: readonly PlanEntry[] = []): string {
  return (
    `Applied: ${summary.create} created, ${summary.update} updated, ${summary.delete} deleted, ${summary.unchanged} unchanged.\n` +
    kindLines(entries, APPLY_WORDS)
  );
}

/** What the operator still has to do after the apply (`rotate-token` for a directory's first token). */
export function planNotes(entries: readonly PlanEntry[]): string {
  const lines = entries.flatMap((entry) =>
    (entry.notes ?? []).map((note) => `  ${entry.kind} ${entry.id}: ${note}\n`),
  );
  return lines.length === 0 ? '' : `Next steps:\n${lines.join('')}`;
}

/** The plan for `--json`: entries, totals and totals per kind. */
export function planJson(entries: readonly PlanEntry[]) {
  return { entries, summary: summarize(entries), byKind: summarizeByKind(entries) };
}
