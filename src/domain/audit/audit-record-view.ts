import type { AuditRecord } from '../ports/tenancy.js';

/** One audit record as the admin API, its JSON lines export and `gatehouse audit` show it. */
export const auditRecordView = (record: AuditRecord) => ({
  id: record.id,
  organization_id: record.organizationId,
  seq: record.seq,
  at: record.at.toISOString(),
  actor: record.actor,
  action: record.action,
  target: { type: record.targetType, id: record.targetId },
  before: record.before,
  after: record.after,
});
export type AuditRecordView = ReturnType<typeof auditRecordView>;
