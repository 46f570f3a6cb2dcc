import { RuleViolationError } from '../errors.js';
import type { EventRecord } from '../ports/events.js';
import type { Database } from '../ports/repositories.js';
import type { AdminPrincipal } from './admin-principal.js';
import { visibleOrganization } from './tenancy-scope.js';

export interface EventQuery {
  /** Id or slug; an organization key reads its own organization when it names none. */
  organization?: string | undefined;
  /** The cursor: the sequence of the last event already read (0: from the first). */
  after: number;
  limit: number;
}

export interface EventPage {
  organizationId: string;
  events: EventRecord[];
  /** The cursor to ask with next: the last sequence returned, or `after` when none was. */
  nextAfter: number;
  /** Whether more events were waiting beyond this page. */
  hasMore: boolean;
}

/** Reading an organization's change stream by cursor, scoped like every other admin read. */
export function createEventsAdmin(db: Database) {
  return {
    async list(principal: AdminPrincipal, query: EventQuery): Promise<EventPage> {
      const ref =
        query.organization ??
        (principal.scope.kind === 'organization' ? principal.scope.organizationId : undefined);
      if (ref === undefined) {
        throw new RuleViolationError(
          'an environment key reads one organization at a time: name it with organization=',
          'organization_required',
          'organization',
        );
      }
      const organization = await visibleOrganization(db, principal, ref);
      const rows = await db.events.listAfter(organization.id, query.after, query.limit + 1);
      const events = rows.slice(0, query.limit);
      return {
        organizationId: organization.id,
        events,
        nextAfter: events.at(-1)?.sequence ?? query.after,
        hasMore: rows.length > query.limit,
      };
    },
  };
}
export type EventsAdmin = ReturnType<typeof createEventsAdmin>;
