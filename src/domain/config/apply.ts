import type { Database } from '../ports/repositories.js';
import type { ConfigDeps, DesiredState, PlanEntry } from './desired-state.js';
import {
  listed,
  planChanges,
  summarize,
  summarizeByKind,
  type PlanSummary,
  type PlanSummaryByKind,
} from './plan.js';

export interface ApplyResult {
  entries: PlanEntry[];
  summary: PlanSummary;
  byKind: PlanSummaryByKind;
}

/** Two instances booting with the same GATEHOUSE_CONFIG must not both create the same rows. */
const APPLY_LOCK = 'gatehouse:declarative-config';

/**
 * Plans and writes in one transaction: the plan is computed on the rows the writes see, and a
 * failure anywhere rolls everything back. Unchanged entries are not written, so a second apply
 * of the same file makes no writes at all. Each write leaves an audit record naming the file.
 */
export async function applyConfig(
  db: Database,
  desired: DesiredState,
  deps: ConfigDeps,
): Promise<ApplyResult> {
  const entries = await db.withLock(APPLY_LOCK, async (repos) => {
    const changes = await planChanges(repos, desired, deps);
    await Promise.all(changes.map((change) => change.prepare?.()));
    for (const change of changes) await change.write?.(repos);
    return listed(changes);
  });
  return { entries, summary: summarize(entries), byKind: summarizeByKind(entries) };
}
