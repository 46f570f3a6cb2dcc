import type { PlanEntry } from '../domain/config/desired-state.js';
import type { PlanSummary } from '../domain/config/plan.js';
import { table } from './format.js';

/** The plan as a table; field names only, since values may be secrets. */
export function planTable(entries: readonly PlanEntry[]): string {
  if (entries.length === 0) return 'The file declares nothing and no config-managed rows exist.\n';
  const rows = entries.map((entry) => [entry.kind, entry.id, entry.action, entry.changes.join(', ')]);
  return table(['KIND', 'ID', 'ACTION', 'CHANGES'], rows);
}

export function planSummaryLine(summary: PlanSummary): string {
  return `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ${summary.unchanged} unchanged.\n`;
}

export function applySummaryLine(summary: PlanSummary): string {
  return `Applied: ${summary.create} created, ${summary.update} updated, ${summary.delete} deleted, ${summary.unchanged} unchanged.\n`;
}
