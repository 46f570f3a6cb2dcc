import type { Repositories } from '../ports/repositories.js';
import type { AuditEntry } from '../ports/tenancy.js';
import { snapshotData, userData } from './event-data.js';
import { eventTypeOf, isAccountWide } from './event-types.js';

type Change = Omit<AuditEntry, 'actor'>;

/** A page size for reading a user's memberships; a user in more organizations takes more pages. */
const MEMBERSHIP_PAGE = 500;

/**
 * Queues the events an audited change produces, appended when the caller's transaction commits
 * (EventRepository.queue): one for a
 * membership, role or group change, in its organization; one per organization for a change to a
 * user (see organizationsOfUser). Changes that are not events append nothing.
 */
export async function appendChangeEvents(repos: Repositories, change: Change): Promise<void> {
  const type = eventTypeOf(change.action);
  if (type === undefined) return;
  const accountWide = isAccountWide(type);
  const data = accountWide ? await userChangeData(repos, change) : changeData(change);
  const organizationIds = accountWide ? await organizationsOfUser(repos, change) : [change.organizationId];
  // One order for every writer: two transactions fanning out to the same organizations take
  // their counter locks in the same order and cannot deadlock on each other.
  for (const organizationId of organizationIds.filter((id) => id !== null).sort()) {
    await repos.events.queue({ organizationId, type, data });
  }
}

/** The object after the change, or before it for a deletion. */
const changeData = (change: Change) => snapshotData(change.after ?? change.before);

/** The user as stored now (one shape for every caller); the snapshot once the row is gone. */
async function userChangeData(repos: Repositories, change: Change): Promise<Record<string, unknown>> {
  const user = await repos.users.findById(change.targetId);
  return user ? userData(user) : changeData(change);
}

/**
 * A user is one account across organizations, so a change to it is news to every organization
 * the user belongs to (whatever the membership's status), plus the organization the change was
 * made for (a user created for an organization before the membership exists). A user in no
 * organization produces no event: there is no organization stream to put it in.
 */
async function organizationsOfUser(repos: Repositories, change: Change): Promise<string[]> {
  const ids = new Set<string>(change.organizationId === null ? [] : [change.organizationId]);
  let after: string | undefined;
  for (;;) {
    const page = await repos.memberships.list({ userId: change.targetId }, { after, limit: MEMBERSHIP_PAGE });
    for (const membership of page) ids.add(membership.organizationId);
    if (page.length < MEMBERSHIP_PAGE) return [...ids];
    after = page.at(-1)?.id;
  }
}
