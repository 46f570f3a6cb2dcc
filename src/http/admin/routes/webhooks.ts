import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import {
  webhookCreateSchema,
  webhookReplaySchema,
  webhookUpdateSchema,
} from '../../../domain/organizations/webhook-input.js';
import { pageOf, pageQuery } from '../pagination.js';
import { defineRoute, type AdminRoute } from '../route.js';
import {
  NewWebhookJson,
  WebhookDeliveryJson,
  WebhookJson,
  webhookDeliveryJson,
  webhookJson,
} from './representations/webhook.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, noContent, ok, pageResult, problems, removed } from './responses.js';

const tags = ['webhooks'];
const params = z.strictObject({ ...organizationParam, webhook: ref('Webhook id (`whk_...`).') });
const NewWebhook = webhookCreateSchema.meta({ id: 'NewWebhookRequest' });
const WebhookChanges = webhookUpdateSchema.meta({ id: 'WebhookChanges' });
const WebhookReplay = webhookReplaySchema.meta({ id: 'WebhookReplay' });

/** Where an organization's events are pushed; the signing secret goes out once, at creation. */
export function webhookRoutes({ webhooks }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/webhooks',
      summary: "List the organization's webhooks (never their secrets)",
      tags,
      params: organizationParams,
      query: z.strictObject(pageQuery),
      responses: found(pageOf(WebhookJson), 'A page.'),
      handler: ({ principal, params, query }) =>
        pageResult(query, (p) => webhooks.list(principal, params.organization, p), webhookJson),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/webhooks',
      summary:
        'Add a webhook; `secret` is shown this once. It receives events from now on (replay for history)',
      tags,
      params: organizationParams,
      body: NewWebhook,
      responses: {
        201: { description: 'Created.', schema: NewWebhookJson },
        ...problems.notFound,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const { webhook, secret } = await webhooks.create(principal, params.organization, body);
        const path = `/organizations/${webhook.organizationId}/webhooks/${webhook.id}`;
        return created(path, { ...webhookJson(webhook), secret });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/webhooks/:webhook',
      summary: 'Get a webhook (never its secret)',
      tags,
      params,
      responses: found(WebhookJson, 'The webhook.'),
      handler: async ({ principal, params }) =>
        ok(webhookJson(await webhooks.get(principal, params.organization, params.webhook))),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/organizations/:organization/webhooks/:webhook',
      summary: 'Change the URL, the event types or whether it is enabled',
      tags,
      params,
      body: WebhookChanges,
      responses: { ...found(WebhookJson, 'The changed webhook.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(webhookJson(await webhooks.update(principal, params.organization, params.webhook, body))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/webhooks/:webhook',
      summary: 'Delete a webhook and its delivery log',
      tags,
      params,
      responses: removed(),
      handler: async ({ principal, params }) => {
        await webhooks.remove(principal, params.organization, params.webhook);
        return noContent();
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/webhooks/:webhook/deliveries',
      summary: 'The delivery log: every attempt, newest first',
      tags,
      params,
      query: z.strictObject(pageQuery),
      responses: found(pageOf(WebhookDeliveryJson), 'A page.'),
      handler: ({ principal, params, query }) =>
        pageResult(
          query,
          (p) => webhooks.deliveries(principal, params.organization, params.webhook, p),
          webhookDeliveryJson,
        ),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/webhooks/:webhook/replay',
      summary: 'Move the cursor: deliver every event after `after` again, in order',
      tags,
      params,
      body: WebhookReplay,
      responses: { ...found(WebhookJson, 'The webhook with its new cursor.'), ...problems.rule },
      handler: async ({ principal, params, body }) =>
        ok(webhookJson(await webhooks.replay(principal, params.organization, params.webhook, body))),
    }),
  ];
}
