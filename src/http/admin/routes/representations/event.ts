import { z } from 'zod';
import { EVENT_TYPES } from '../../../../domain/events/event-types.js';
import { timestamp } from './timestamps.js';

/** One event, exactly as a webhook body carries it (domain/events/event-payload.ts builds both). */
export const EventJson = z
  .object({
    id: z.string().meta({ description: 'Stable across redeliveries: deduplicate by it.' }),
    organization_id: z.string(),
    sequence: z.number().int().meta({ description: '1, 2, 3... per organization, in commit order.' }),
    type: z.enum(EVENT_TYPES),
    occurred_at: timestamp,
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The object after the change (before it, for a deletion); never a secret.' }),
  })
  .meta({ id: 'Event' });

export const EventPageJson = z
  .object({
    data: z.array(EventJson),
    next_after: z.number().int().meta({ description: 'Ask with `after=` this next (it never goes back).' }),
    has_more: z.boolean().meta({ description: 'More events were waiting beyond this page.' }),
  })
  .meta({ id: 'EventPage' });
