import type { ImpersonationRequest as ImpersonationRow } from '../generated/prisma/client.js';
import {
  IMPERSONATION_STATUSES,
  type ImpersonationChanges,
  type ImpersonationRecord,
  type ImpersonationRepository,
  type ImpersonationStatus,
  type NewImpersonation,
} from '../../domain/ports/impersonations.js';
import type { ActorType } from '../../domain/ports/tenancy.js';
import { idAfter, pageArgs } from './page.js';
import type { PrismaExecutor } from './prisma-client.js';

function toStatus(value: string): ImpersonationStatus {
  if (!(IMPERSONATION_STATUSES as readonly string[]).includes(value)) {
    throw new Error(`impersonation has unknown status "${value}"`);
  }
  return value as ImpersonationStatus;
}

function toRecord(row: ImpersonationRow): ImpersonationRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    userId: row.userId,
    operator: { type: row.operatorType as ActorType, id: row.operatorId, name: row.operatorName },
    reason: row.reason,
    readOnly: row.readOnly,
    permissions: row.permissions,
    durationSeconds: row.durationSeconds,
    status: toStatus(row.status),
    approver:
      row.approverType && row.approverId ? { type: row.approverType as ActorType, id: row.approverId } : null,
    handleHash: row.handleHash,
    ticketHash: row.ticketHash,
    ticketExpiresAt: row.ticketExpiresAt,
    requestedAt: row.requestedAt,
    startBy: row.startBy,
    decidedAt: row.decidedAt,
    startedAt: row.startedAt,
    endsAt: row.endsAt,
    endedAt: row.endedAt,
    endedBy: row.endedBy,
  };
}

/** The columns a change sets; the approver is two columns. */
function changedColumns({ approver, ...changes }: ImpersonationChanges) {
  return {
    ...changes,
    ...(approver === undefined
      ? {}
      : { approverType: approver?.type ?? null, approverId: approver?.id ?? null }),
  };
}

export function createImpersonationRepository(db: PrismaExecutor): ImpersonationRepository {
  const findWhere = async (where: { id: string } | { handleHash: string }) => {
    const row = await db.impersonationRequest.findUnique({ where });
    return row ? toRecord(row) : undefined;
  };
  return {
    async create({ operator, ...record }: NewImpersonation) {
      const row = await db.impersonationRequest.create({
        data: {
          ...record,
          permissions: [...record.permissions],
          operatorType: operator.type,
          operatorId: operator.id,
          operatorName: operator.name,
        },
      });
      return toRecord(row);
    },
    find: (id) => findWhere({ id }),
    findByHandle: (handleHash) => findWhere({ handleHash }),
    async list(filter, page) {
      const rows = await db.impersonationRequest.findMany({
        where: {
          organizationId:
            filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
          userId: filter.userId,
          id: idAfter(page),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async transition(id, from, changes) {
      const { count } = await db.impersonationRequest.updateMany({
        where: { id, status: { in: [...from] } },
        data: changedColumns(changes),
      });
      return count === 1 ? findWhere({ id }) : undefined;
    },
    async takeTicket(ticketHash, now) {
      const row = await db.impersonationRequest.findUnique({ where: { ticketHash } });
      if (!row) return undefined;
      // Conditional on the hash still being there: of two concurrent uses, one clears it.
      const { count } = await db.impersonationRequest.updateMany({
        where: { id: row.id, ticketHash, ticketExpiresAt: { gt: now } },
        data: { ticketHash: null, ticketExpiresAt: null },
      });
      return count === 1 ? toRecord({ ...row, ticketHash: null, ticketExpiresAt: null }) : undefined;
    },
  };
}
