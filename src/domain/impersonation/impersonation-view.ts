import type { ImpersonationRecord } from '../ports/impersonations.js';
import type { Actor, AuditEntry } from '../ports/tenancy.js';

/** A request as admins and the audit log see it: never the handle or ticket digests. */
export type ImpersonationView = Omit<ImpersonationRecord, 'handleHash' | 'ticketHash' | 'ticketExpiresAt'>;

export const impersonationView = ({
  handleHash: _handle,
  ticketHash: _ticket,
  ticketExpiresAt: _ticketExpiry,
  ...view
}: ImpersonationRecord): ImpersonationView => view;

/**
 * Who acts, as the RFC 8693 `act` claim's `sub` names them: the admin principal, typed so that an
 * API key id and an operating-system account name can never be mistaken for each other or for a
 * user id.
 */
export const operatorSubject = (operator: Actor) => `${operator.type}:${operator.id}`;

/** What every step of an impersonation leaves in the audit log, in the organization's trail. */
export function impersonationEntry(
  actor: Actor,
  action: `impersonation.${string}`,
  before: ImpersonationRecord | null,
  after: ImpersonationRecord,
): AuditEntry {
  return {
    organizationId: after.organizationId,
    actor,
    action,
    targetType: 'impersonation',
    targetId: after.id,
    before: before && impersonationView(before),
    after: impersonationView(after),
  };
}
