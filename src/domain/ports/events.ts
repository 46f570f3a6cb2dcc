/**
 * The per-organization change stream: every change to users, memberships, roles and groups
 * appends one event, in the transaction of the change, numbered 1, 2, 3... per organization.
 * data/ implements it on PostgreSQL (events, event_counters).
 */

export interface EventRecord {
  organizationId: string;
  /** Gap-free per organization, in commit order (see EventRepository.append). */
  sequence: number;
  /** `user.created`, `membership.updated`, `group.member_added`, ... (events/event-types.ts) */
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
}

export interface NewEvent {
  organizationId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface EventRepository {
  /**
   * Appends with the organization's next sequence. The counter row stays locked until the
   * caller's transaction ends, so writers of one organization commit in sequence order and a
   * reader by cursor never passes a number that commits later. Undefined when the organization
   * no longer exists (deleted earlier in the same transaction): there is no stream to append to.
   */
  append(event: NewEvent): Promise<EventRecord | undefined>;
  /**
   * Appends at the end of the caller's transaction, all queued events of an organization in one
   * statement (at once outside a transaction). The counter lock is then held only while the
   * transaction commits, not for all of its work: writers of one organization wait on each other
   * for milliseconds, not for the whole of each other's transactions.
   */
  queue(event: NewEvent): Promise<void>;
  /** Appends what was queued; the transaction runner calls it before COMMIT. */
  flushQueued(): Promise<void>;
  /** Events with a sequence above `after`, ascending, at most `limit`. */
  listAfter(organizationId: string, after: number, limit: number): Promise<EventRecord[]>;
  /** The highest sequence committed for the organization; 0 before its first event. */
  lastSequence(organizationId: string): Promise<number>;
}
