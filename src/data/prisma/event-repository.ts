import type { EventRecord, EventRepository, NewEvent } from '../../domain/ports/events.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { EventRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: EventRow): EventRecord {
  return {
    organizationId: row.organizationId,
    sequence: Number(row.sequence),
    type: row.type,
    data: fromJsonColumn(row.data),
    occurredAt: row.occurredAt,
  };
}

/**
 * `inTransaction`: queued events wait for flushQueued (the transaction runner calls it before
 * COMMIT); otherwise queue appends at once.
 */
export function createEventRepository(
  db: PrismaExecutor,
  options: { inTransaction?: boolean } = {},
): EventRepository {
  const queued: NewEvent[] = [];
  /** Every queued event of one organization in one statement: the counter moves by their number. */
  const appendAll = async (organizationId: string, events: readonly NewEvent[]) => {
    const rows = JSON.stringify(
      events.map((event, index) => ({ ord: index + 1, type: event.type, data: toJsonColumn(event.data) })),
    );
    await db.$executeRaw`
      WITH "next" AS (
        INSERT INTO "event_counters" ("organization_id", "last_sequence")
        SELECT ${organizationId}::text, ${events.length}::bigint
         WHERE EXISTS (SELECT 1 FROM "organizations" WHERE "id" = ${organizationId}::text)
        ON CONFLICT ("organization_id")
        DO UPDATE SET "last_sequence" = "event_counters"."last_sequence" + ${events.length}::bigint
        RETURNING "last_sequence"
      )
      INSERT INTO "events" ("organization_id", "sequence", "type", "data", "occurred_at")
      SELECT ${organizationId}::text, "next"."last_sequence" - ${events.length}::bigint + "e"."ord",
             "e"."type", "e"."data", (clock_timestamp() AT TIME ZONE 'UTC')
        FROM "next", jsonb_to_recordset(${rows}::jsonb) AS "e"("ord" bigint, "type" text, "data" jsonb)
       ORDER BY "e"."ord"`;
  };
  return {
    async queue(event) {
      if (options.inTransaction) queued.push(event);
      else await appendAll(event.organizationId, [event]);
    },
    async flushQueued() {
      const byOrganization = new Map<string, NewEvent[]>();
      for (const event of queued.splice(0)) {
        byOrganization.set(event.organizationId, [
          ...(byOrganization.get(event.organizationId) ?? []),
          event,
        ]);
      }
      // One order for every writer: two transactions locking the same counters cannot deadlock.
      for (const organizationId of [...byOrganization.keys()].sort()) {
        await appendAll(organizationId, byOrganization.get(organizationId)!);
      }
    },
    async append(event) {
      const data = JSON.stringify(toJsonColumn(event.data));
      // One statement: the counter's upsert takes the row lock that serialises this
      // organization's writers until the caller's transaction ends, and the event gets the number
      // it returns. Outside a transaction the statement is still atomic, so no number is lost.
      // The instant is written in UTC like Prisma's own (the column has no time zone).
      const rows = await db.$queryRaw<Array<{ sequence: bigint; occurred_at: Date }>>`
        WITH "next" AS (
          INSERT INTO "event_counters" ("organization_id", "last_sequence")
          SELECT ${event.organizationId}::text, 1
           WHERE EXISTS (SELECT 1 FROM "organizations" WHERE "id" = ${event.organizationId}::text)
          ON CONFLICT ("organization_id")
          DO UPDATE SET "last_sequence" = "event_counters"."last_sequence" + 1
          RETURNING "last_sequence"
        )
        INSERT INTO "events" ("organization_id", "sequence", "type", "data", "occurred_at")
        SELECT ${event.organizationId}::text, "last_sequence", ${event.type}::text, ${data}::jsonb,
               (clock_timestamp() AT TIME ZONE 'UTC')
          FROM "next"
        RETURNING "sequence", "occurred_at"`;
      const row = rows[0];
      if (!row) return undefined;
      return {
        ...event,
        data: JSON.parse(data) as Record<string, unknown>,
        sequence: Number(row.sequence),
        occurredAt: row.occurred_at,
      };
    },
    async listAfter(organizationId, after, limit) {
      const rows = await db.event.findMany({
        where: { organizationId, sequence: { gt: BigInt(after) } },
        orderBy: { sequence: 'asc' },
        take: limit,
      });
      return rows.map(toRecord);
    },
    async lastSequence(organizationId) {
      const counter = await db.eventCounter.findUnique({ where: { organizationId } });
      return counter ? Number(counter.lastSequence) : 0;
    },
  };
}
