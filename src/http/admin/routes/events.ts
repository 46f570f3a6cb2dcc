import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { eventPayload } from '../../../domain/events/event-payload.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { EventPageJson } from './representations/event.js';
import { ref } from './params.js';
import { ok, problems } from './responses.js';

const tags = ['events'];
export const MAX_EVENTS_PAGE = 1000;

const query = z.strictObject({
  organization: ref(
    'Organization id (`org_...`) or slug; an organization key reads its own when absent, an environment key must name one.',
  ).optional(),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .meta({ description: 'The sequence of the last event already read (0: from the first).' }),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(100).meta({ description: 'Page size.' }),
});

/** An organization's change stream, read by cursor (the same events webhooks push). */
export function eventRoutes({ events }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/events',
      summary: "Read an organization's events after a sequence, in order",
      tags,
      query,
      responses: {
        200: {
          description: 'Events in sequence order, and the cursor to ask with next.',
          schema: EventPageJson,
        },
        ...problems.notFound,
        422: { description: '`organization_required`: an environment key must name the organization.' },
      },
      handler: async ({ principal, query }) => {
        const page = await events.list(principal, query);
        return ok({
          data: page.events.map(eventPayload),
          next_after: page.nextAfter,
          has_more: page.hasMore,
        });
      },
    }),
  ];
}
