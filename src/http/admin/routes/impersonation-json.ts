import { z } from 'zod';
import { impersonationRequestSchema } from '../../../domain/impersonation/impersonation-input.js';
import type { ImpersonationView } from '../../../domain/impersonation/impersonation-view.js';
import { IMPERSONATION_STATUSES } from '../../../domain/ports/impersonations.js';
import { iso, isoOrNull, timestamp } from './representations/timestamps.js';

export const NewImpersonation = impersonationRequestSchema.meta({ id: 'NewImpersonationRequest' });

const actor = z.object({ type: z.string(), id: z.string() });

export const ImpersonationJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    user_id: z.string(),
    operator: actor.extend({ name: z.string() }).meta({
      description: 'The platform operator who asked; its tokens name it in `act.sub` as `<type>:<id>`.',
    }),
    reason: z.string(),
    scope: z.union([z.literal('read_only'), z.object({ permissions: z.array(z.string()) })]),
    duration_seconds: z.number().int(),
    status: z.enum(IMPERSONATION_STATUSES),
    approver: actor
      .nullable()
      .meta({ description: 'Who approved or denied; null when no approval was needed.' }),
    requested_at: timestamp,
    start_by: timestamp.meta({ description: 'Not started by then, the request expires.' }),
    decided_at: timestamp.nullable(),
    started_at: timestamp.nullable(),
    ends_at: timestamp.nullable().meta({ description: 'No token or session of it outlives this.' }),
    ended_at: timestamp.nullable(),
    ended_by: z.string().nullable(),
  })
  .meta({ id: 'Impersonation' });

export const RequestedImpersonationJson = ImpersonationJson.extend({
  handle: z.string().meta({
    description:
      'The subject_token for token exchange (subject_token_type urn:gatehouse:params:oauth:token-type:impersonation): shown in this answer only, never again.',
  }),
}).meta({ id: 'RequestedImpersonation' });

export const ImpersonationTicketJson = z
  .object({
    url: z.string().meta({ description: 'Opens a browser session as the user; works once.' }),
    expires_at: timestamp,
  })
  .meta({ id: 'ImpersonationTicket' });

export const impersonationJson = (view: ImpersonationView): z.output<typeof ImpersonationJson> => ({
  id: view.id,
  organization_id: view.organizationId,
  user_id: view.userId,
  operator: view.operator,
  reason: view.reason,
  scope: view.readOnly ? 'read_only' : { permissions: view.permissions },
  duration_seconds: view.durationSeconds,
  status: view.status,
  approver: view.approver,
  requested_at: iso(view.requestedAt),
  start_by: iso(view.startBy),
  decided_at: isoOrNull(view.decidedAt),
  started_at: isoOrNull(view.startedAt),
  ends_at: isoOrNull(view.endsAt),
  ended_at: isoOrNull(view.endedAt),
  ended_by: view.endedBy,
});
