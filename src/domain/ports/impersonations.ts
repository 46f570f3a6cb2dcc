import type { Actor, PageRequest } from './tenancy.js';

/**
 * requested: waits for an organization admin; approved: may be started; active: started, until
 * `endsAt`; denied, revoked: ended by a person; expired: never started in time; ended: ran its
 * full duration.
 */
export const IMPERSONATION_STATUSES = [
  'requested',
  'approved',
  'denied',
  'active',
  'ended',
  'expired',
  'revoked',
] as const;
export type ImpersonationStatus = (typeof IMPERSONATION_STATUSES)[number];

/** A support operator's request to act as a user of an organization (domain/impersonation). */
export interface ImpersonationRecord {
  id: string;
  organizationId: string;
  userId: string;
  /** The admin principal that asked (an environment API key or the CLI) and what pages call it. */
  operator: Actor & { name: string };
  reason: string;
  readOnly: boolean;
  /** The most its tokens may carry (empty when read-only). */
  permissions: string[];
  durationSeconds: number;
  status: ImpersonationStatus;
  approver: Actor | null;
  /** SHA-256 of the exchange handle shown once to the operator. */
  handleHash: string;
  /** SHA-256 of the unused browser ticket, if one is outstanding. */
  ticketHash: string | null;
  ticketExpiresAt: Date | null;
  requestedAt: Date;
  /** Not started by then: expired. */
  startBy: Date;
  decidedAt: Date | null;
  startedAt: Date | null;
  endsAt: Date | null;
  endedAt: Date | null;
  /** Who revoked it, as `type:id`. */
  endedBy: string | null;
}

export type NewImpersonation = Pick<
  ImpersonationRecord,
  | 'id'
  | 'organizationId'
  | 'userId'
  | 'operator'
  | 'reason'
  | 'readOnly'
  | 'permissions'
  | 'durationSeconds'
  | 'status'
  | 'handleHash'
  | 'requestedAt'
  | 'startBy'
>;

/** The members a status change may set. */
export type ImpersonationChanges = Partial<
  Pick<
    ImpersonationRecord,
    | 'status'
    | 'approver'
    | 'decidedAt'
    | 'startedAt'
    | 'endsAt'
    | 'endedAt'
    | 'endedBy'
    | 'ticketHash'
    | 'ticketExpiresAt'
  >
>;

export interface ImpersonationRepository {
  create(record: NewImpersonation): Promise<ImpersonationRecord>;
  find(id: string): Promise<ImpersonationRecord | undefined>;
  findByHandle(handleHash: string): Promise<ImpersonationRecord | undefined>;
  /** Keyset page ordered by id, newest requests last; `organizationIds` limits to those. */
  list(
    filter: { organizationIds?: readonly string[] | undefined; userId?: string | undefined },
    page: PageRequest,
  ): Promise<ImpersonationRecord[]>;
  /**
   * Compare-and-set: applies `changes` only while the status is still one of `from`, so two
   * instances racing on one request (an approval and a revocation) cannot both win. Undefined
   * when the request had moved on (or does not exist).
   */
  transition(
    id: string,
    from: readonly ImpersonationStatus[],
    changes: ImpersonationChanges,
  ): Promise<ImpersonationRecord | undefined>;
  /** Clears an unexpired ticket and returns its request; undefined when unknown, used or expired. */
  takeTicket(ticketHash: string, now: Date): Promise<ImpersonationRecord | undefined>;
}
