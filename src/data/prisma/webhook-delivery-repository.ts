import { RuleViolationError } from '../../domain/errors.js';
import type { WebhookDeliveryRecord, WebhookDeliveryRepository } from '../../domain/ports/webhooks.js';
import type { PrismaExecutor, WebhookDeliveryRow } from './prisma-client.js';

function toRecord(row: WebhookDeliveryRow): WebhookDeliveryRecord {
  return {
    id: row.id.toString(),
    endpointId: row.endpointId,
    sequence: Number(row.sequence),
    attempt: row.attempt,
    status: row.status,
    error: row.error,
    durationMs: row.durationMs,
    at: row.at,
  };
}

/** Delivery ids are a bigint sequence, exposed as decimal strings; a cursor must be one. */
function beforeId(after: string | undefined): bigint | undefined {
  if (after === undefined) return undefined;
  if (!/^\d{1,19}$/.test(after))
    throw new RuleViolationError('invalid page cursor', 'invalid_cursor', 'after');
  return BigInt(after);
}

export function createWebhookDeliveryRepository(db: PrismaExecutor): WebhookDeliveryRepository {
  return {
    async append(delivery) {
      await db.webhookDelivery.create({
        data: { ...delivery, sequence: BigInt(delivery.sequence) },
      });
    },
    async listFor(endpointId, page) {
      const before = beforeId(page.after);
      const rows = await db.webhookDelivery.findMany({
        where: { endpointId, ...(before === undefined ? {} : { id: { lt: before } }) },
        orderBy: { id: 'desc' },
        take: page.limit,
      });
      return rows.map(toRecord);
    },
  };
}
