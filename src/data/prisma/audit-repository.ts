import { RuleViolationError } from '../../domain/errors.js';
import type { ActorType, AuditRecord, AuditRepository } from '../../domain/ports/tenancy.js';
import { Prisma } from './prisma-client.js';
import type { AuditRecordRow, PrismaExecutor } from './prisma-client.js';

const ACTOR_TYPES: readonly ActorType[] = ['api_key', 'cli', 'config', 'user', 'system'];

function toActorType(value: string): ActorType {
  if (!(ACTOR_TYPES as readonly string[]).includes(value)) {
    throw new Error(`audit record has unknown actor type "${value}"`);
  }
  return value as ActorType;
}

function toRecord(row: AuditRecordRow): AuditRecord {
  return {
    id: row.id.toString(),
    at: row.at,
    organizationId: row.organizationId,
    actor: { type: toActorType(row.actorType), id: row.actorId },
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
  };
}

/**
 * before/after snapshots as JSON (dates become strings, undefined members disappear). Nothing
 * (null, undefined) is stored as SQL NULL, which reads back as null.
 */
function toSnapshot(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === null || value === undefined) return Prisma.DbNull;
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? Prisma.DbNull : (JSON.parse(json) as Prisma.InputJsonValue);
}

/** Audit ids are a bigint sequence, exposed as decimal strings; a cursor must be one. */
function afterId(after: string | undefined): bigint | undefined {
  if (after === undefined) return undefined;
  if (!/^\d{1,19}$/.test(after)) throw new RuleViolationError('invalid page cursor', 'invalid_cursor', 'after');
  return BigInt(after);
}

export function createAuditRepository(db: PrismaExecutor): AuditRepository {
  return {
    async append(entry) {
      await db.auditRecord.create({
        data: {
          organizationId: entry.organizationId,
          actorType: entry.actor.type,
          actorId: entry.actor.id,
          action: entry.action,
          targetType: entry.targetType,
          targetId: entry.targetId,
          before: toSnapshot(entry.before),
          after: toSnapshot(entry.after),
        },
      });
    },
    async list(filter, page) {
      const after = afterId(page.after);
      const rows = await db.auditRecord.findMany({
        where: {
          organizationId: filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
          targetType: filter.targetType,
          targetId: filter.targetId,
          action: filter.action,
          id: after === undefined ? undefined : { gt: after },
        },
        orderBy: { id: 'asc' },
        take: page.limit,
      });
      return rows.map(toRecord);
    },
  };
}
