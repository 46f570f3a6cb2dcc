import type { ImpersonationRecord, ImpersonationStatus } from '../ports/impersonations.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';
import { impersonationEntry } from './impersonation-view.js';

/**
 * A request must be started within a day of being made: an approval is consent to a task at
 * hand, not a standing permission the operator may use next month.
 */
export const START_WINDOW_MS = 24 * 3600 * 1000;

/** Statuses from which an impersonation can still be used or decided. */
export const OPEN_STATUSES: readonly ImpersonationStatus[] = ['requested', 'approved', 'active'];

/** The system closes requests that ran out of time; the audit log names it as the actor. */
export const LIFECYCLE_ACTOR: Actor = { type: 'system', id: 'impersonation' };

/**
 * The status time alone has given the request: an active one ends at `endsAt`, one never started
 * expires at `startBy`. Undefined while its status still holds.
 */
export function lapse(
  record: ImpersonationRecord,
  now: Date,
): { status: 'ended' | 'expired'; at: Date } | undefined {
  if (record.status === 'active' && record.endsAt && now >= record.endsAt) {
    return { status: 'ended', at: record.endsAt };
  }
  if ((record.status === 'requested' || record.status === 'approved') && now >= record.startBy) {
    return { status: 'expired', at: record.startBy };
  }
  return undefined;
}

/**
 * Writes the status time has given the request, with its audit record (`impersonation.end` or
 * `impersonation.expire`, dated by the record's own deadline), the first time anyone looks after
 * the deadline. Nothing is usable past its deadline whether or not this has run: every check
 * compares with the clock too.
 */
export async function settle(
  repos: Repositories,
  record: ImpersonationRecord,
  now: Date,
): Promise<ImpersonationRecord> {
  const lapsed = lapse(record, now);
  if (!lapsed) return record;
  const after = await repos.impersonations.transition(record.id, [record.status], {
    status: lapsed.status,
    endedAt: lapsed.at,
  });
  // Another instance settled it first (and wrote the record): read what it wrote.
  if (!after) return (await repos.impersonations.find(record.id)) ?? record;
  const action = lapsed.status === 'ended' ? 'impersonation.end' : 'impersonation.expire';
  await repos.audit.append(impersonationEntry(LIFECYCLE_ACTOR, action, record, after));
  return after;
}

/** settle, in a transaction of its own, opened only when there is something to write. */
export async function settleNow(db: Database, record: ImpersonationRecord, now: Date) {
  return lapse(record, now) ? db.transaction((repos) => settle(repos, record, now)) : record;
}
