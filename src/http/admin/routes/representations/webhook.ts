import { z } from 'zod';
import { EVENT_TYPES } from '../../../../domain/events/event-types.js';
import type { WebhookView } from '../../../../domain/organizations/webhooks-admin.js';
import type { WebhookDeliveryRecord } from '../../../../domain/ports/webhooks.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const WebhookJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    url: z.string(),
    event_types: z.array(z.enum(EVENT_TYPES)).meta({ description: 'Empty: every type.' }),
    enabled: z.boolean(),
    delivered_through: z
      .number()
      .int()
      .meta({ description: 'The cursor: every event up to this sequence was delivered (or not wanted).' }),
    failures: z.number().int().meta({ description: 'Failed attempts in a row at the next event.' }),
    next_attempt_at: timestamp
      .nullable()
      .meta({ description: 'Not before: the backoff after a failure, or a delivery in progress.' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Webhook' });

export const NewWebhookJson = WebhookJson.extend({
  secret: z.string().meta({
    description: 'The signing secret (HMAC-SHA256 key of Gatehouse-Signature): shown in this answer only.',
  }),
}).meta({ id: 'NewWebhook' });

export const WebhookDeliveryJson = z
  .object({
    id: z.string(),
    sequence: z.number().int(),
    attempt: z
      .number()
      .int()
      .meta({ description: '1 for the first attempt at this event, 2 for the first retry...' }),
    status: z.number().int().nullable().meta({ description: 'The HTTP status; null when no answer came.' }),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
    at: timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookJson = (webhook: WebhookView): z.output<typeof WebhookJson> => ({
  id: webhook.id,
  organization_id: webhook.organizationId,
  url: webhook.url,
  event_types: webhook.eventTypes as z.output<typeof WebhookJson>['event_types'],
  enabled: webhook.enabled,
  delivered_through: webhook.deliveredThrough,
  failures: webhook.failures,
  next_attempt_at: isoOrNull(webhook.nextAttemptAt),
  created_at: iso(webhook.createdAt),
  updated_at: iso(webhook.updatedAt),
});

export const webhookDeliveryJson = (
  delivery: WebhookDeliveryRecord,
): z.output<typeof WebhookDeliveryJson> => ({
  id: delivery.id,
  sequence: delivery.sequence,
  attempt: delivery.attempt,
  status: delivery.status,
  error: delivery.error,
  duration_ms: delivery.durationMs,
  at: iso(delivery.at),
});
