import type { EventRecord } from '../ports/events.js';

/** An event as consumers see it, by cursor (GET /admin/v1/events) and in a webhook body alike. */
export interface EventPayload {
  id: string;
  organization_id: string;
  sequence: number;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

/**
 * A stable id, the same on every redelivery, for receivers to deduplicate by (delivery is at
 * least once). Made of the organization and the sequence rather than a global row number, which
 * would tell one tenant how busy the others are.
 */
export const eventId = (organizationId: string, sequence: number) =>
  `evt_${organizationId.replace(/^org_/, '')}.${sequence}`;

export const eventPayload = (event: EventRecord): EventPayload => ({
  id: eventId(event.organizationId, event.sequence),
  organization_id: event.organizationId,
  sequence: event.sequence,
  type: event.type,
  occurred_at: event.occurredAt.toISOString(),
  data: event.data,
});
