import { z } from 'zod';
import { EVENT_TYPES } from '../events/event-types.js';
import { RuleViolationError } from '../errors.js';

/** Webhook endpoints as admins write them (the admin API). */

const eventTypes = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .meta({ description: 'The event types to send; empty or absent: every type.' });

const url = z.string().min(1).max(2048).meta({ description: 'Where events are POSTed.' });

export const webhookCreateSchema = z.object({ url, event_types: eventTypes.default([]) }).strict();
export type WebhookCreate = z.output<typeof webhookCreateSchema>;

export const webhookUpdateSchema = z
  .object({ url: url.optional(), event_types: eventTypes.optional(), enabled: z.boolean().optional() })
  .strict();
export type WebhookUpdate = z.output<typeof webhookUpdateSchema>;

export const webhookReplaySchema = z
  .object({
    after: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Deliver again every event with a sequence above this one (0: from the first).' }),
  })
  .strict();
export type WebhookReplay = z.output<typeof webhookReplaySchema>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Events carry personal data, so they travel over TLS: https only, except plain http to the
 * loopback host (a receiver beside Gatehouse) and anywhere outside production (a developer's
 * or a test's own receiver), which `allowPlainHttp` says. No credentials in the URL (they would
 * be shown to every admin who lists webhooks) and no fragment (never sent).
 */
export function assertWebhookUrl(value: string, allowPlainHttp: boolean): string {
  const fail = (why: string) => {
    throw new RuleViolationError(`url: ${why}`, 'invalid_webhook_url', 'url');
  };
  if (!URL.canParse(value)) return fail('not an absolute URL');
  const parsed = new URL(value);
  if (parsed.username || parsed.password) return fail('credentials do not belong in the URL');
  if (parsed.hash) return fail('a fragment is never sent');
  if (parsed.protocol === 'https:') return value;
  if (parsed.protocol === 'http:' && (allowPlainHttp || LOOPBACK.has(parsed.hostname))) return value;
  return fail(allowPlainHttp ? 'must be http or https' : 'must be https (http only to localhost)');
}
