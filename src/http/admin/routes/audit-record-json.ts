import { z } from 'zod';
import { auditRecordView } from '../../../domain/audit/audit-record-view.js';
import type { AuditRecord } from '../../../domain/ports/tenancy.js';
import { timestamp } from './representations/timestamps.js';

/** One audit record as the admin API and the JSON lines export show it. */
export const AuditRecordJson = z
  .object({
    id: z.string().meta({ description: 'Ascending in write order; the page cursor is built from it.' }),
    organization_id: z.string().nullable().meta({ description: 'null: an environment-wide record.' }),
    seq: z
      .number()
      .int()
      .meta({ description: "1, 2, 3... in the organization's (or the platform's) chain." }),
    at: timestamp,
    actor: z.object({ type: z.string(), id: z.string() }),
    action: z
      .string()
      .meta({ description: '`<target type>.<verb>`: role.update, login.failed, token.issue...' }),
    target: z.object({ type: z.string(), id: z.string() }),
    before: z.unknown().meta({ description: 'The object before the change (secrets removed), or null.' }),
    after: z.unknown().meta({ description: 'The object after the change (secrets removed), or null.' }),
  })
  .meta({ id: 'AuditRecord' });

export const auditRecordJson: (record: AuditRecord) => z.infer<typeof AuditRecordJson> = auditRecordView;
