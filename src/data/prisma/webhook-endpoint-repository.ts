import type {
  WebhookEndpointChanges,
  WebhookEndpointRecord,
  WebhookEndpointRepository,
} from '../../domain/ports/webhooks.js';
import { requireFound } from './constraint-errors.js';
import { idAfter, pageArgs } from './page.js';
import type { PrismaExecutor, WebhookEndpointRow } from './prisma-client.js';

function toRecord(row: WebhookEndpointRow): WebhookEndpointRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    url: row.url,
    secretCiphertext: row.secretCiphertext,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    deliveredThrough: Number(row.deliveredThrough),
    failures: row.failures,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toColumns(changes: WebhookEndpointChanges) {
  const { deliveredThrough, eventTypes, ...rest } = changes;
  return {
    ...rest,
    ...(eventTypes === undefined ? {} : { eventTypes: [...eventTypes] }),
    ...(deliveredThrough === undefined ? {} : { deliveredThrough: BigInt(deliveredThrough) }),
  };
}

export function createWebhookEndpointRepository(db: PrismaExecutor): WebhookEndpointRepository {
  return {
    async listFor(organizationId, page) {
      const rows = await db.webhookEndpoint.findMany({
        where: { organizationId, id: idAfter(page) },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async find(id) {
      const row = await db.webhookEndpoint.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async create(endpoint) {
      const row = await db.webhookEndpoint.create({
        data: {
          ...endpoint,
          eventTypes: [...endpoint.eventTypes],
          deliveredThrough: BigInt(endpoint.deliveredThrough),
        },
      });
      return toRecord(row);
    },
    async update(id, changes) {
      const work = db.webhookEndpoint.update({ where: { id }, data: toColumns(changes) });
      return toRecord(await requireFound(work, `webhook ${id}`));
    },
    async delete(id) {
      await db.webhookEndpoint.deleteMany({ where: { id } });
    },
    async claimDue(now, leaseUntil, limit) {
      // The classic queue claim: SKIP LOCKED lets several processes claim at once without
      // waiting on each other, and the lease written in the same statement keeps the endpoint
      // theirs after it commits. MATERIALIZED: the locking select runs once, so the update never
      // takes more than `limit` rows. Instants are compared in UTC, as Prisma writes them.
      const claimed = await db.$queryRaw<Array<{ id: string }>>`
        WITH "due" AS MATERIALIZED (
          SELECT e."id"
            FROM "webhook_endpoints" e
            JOIN "event_counters" c ON c."organization_id" = e."organization_id"
           WHERE e."enabled"
             AND c."last_sequence" > e."delivered_through"
             AND (e."next_attempt_at" IS NULL
                  OR e."next_attempt_at" <= (${now}::timestamptz AT TIME ZONE 'UTC'))
           ORDER BY e."next_attempt_at" NULLS FIRST, e."id"
           LIMIT ${limit}::int
             FOR UPDATE OF e SKIP LOCKED
        )
        UPDATE "webhook_endpoints" w
           SET "next_attempt_at" = (${leaseUntil}::timestamptz AT TIME ZONE 'UTC')
          FROM "due"
         WHERE w."id" = "due"."id"
        RETURNING w."id"`;
      if (claimed.length === 0) return [];
      const rows = await db.webhookEndpoint.findMany({
        where: { id: { in: claimed.map((row) => row.id) } },
        orderBy: { id: 'asc' },
      });
      return rows.map(toRecord);
    },
    async settle(id, expected, next) {
      // Not through Prisma's update: updated_at tells when an administrator changed the
      // endpoint, not when it last delivered.
      const count = await db.$executeRaw`
        UPDATE "webhook_endpoints"
           SET "delivered_through" = ${next.deliveredThrough}::bigint,
               "failures" = ${next.failures}::int,
               "next_attempt_at" = (${next.nextAttemptAt}::timestamptz AT TIME ZONE 'UTC')
         WHERE "id" = ${id}::text
           AND "enabled"
           AND "delivered_through" = ${expected.deliveredThrough}::bigint
           AND "next_attempt_at" = (${expected.lease}::timestamptz AT TIME ZONE 'UTC')`;
      return count === 1;
    },
  };
}
