import { ACTOR_TYPES } from '../../domain/audit/audit-query.js';
import type {
  ActorType,
  AuditChainHead,
  AuditRecord,
  ChainedAuditRecord,
} from '../../domain/ports/tenancy.js';
import type { AuditRecordRow, PrismaExecutor } from './prisma-client.js';

function toActorType(value: string): ActorType {
  if (!(ACTOR_TYPES as readonly string[]).includes(value)) {
    throw new Error(`audit record has unknown actor type "${value}"`);
  }
  return value as ActorType;
}

export function toRecord(row: AuditRecordRow): AuditRecord {
  return {
    id: row.id.toString(),
    at: row.at,
    seq: Number(row.seq),
    organizationId: row.organizationId,
    actor: { type: toActorType(row.actorType), id: row.actorId },
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before,
    after: row.after,
  };
}

const toChainedRecord = (row: AuditRecordRow): ChainedAuditRecord => ({
  ...toRecord(row),
  chainKey: row.chainKey,
  prevHash: row.prevHash,
  hash: row.hash,
});

/** What `gatehouse audit verify` and retention read: heads, and chains in sequence order. */
export function createAuditChainReads(db: PrismaExecutor) {
  return {
    /** One chain's records after a sequence, ascending. */
    async readChain(chainKey: string, afterSeq: number, limit: number): Promise<ChainedAuditRecord[]> {
      const rows = await db.auditRecord.findMany({
        where: { chainKey, seq: { gt: BigInt(afterSeq) } },
        orderBy: { seq: 'asc' },
        take: limit,
      });
      return rows.map(toChainedRecord);
    },
    async chainHeads(): Promise<AuditChainHead[]> {
      const rows = await db.auditChain.findMany({ orderBy: { chainKey: 'asc' } });
      return rows.map((row) => ({
        chainKey: row.chainKey,
        lastSeq: Number(row.lastSeq),
        lastHash: row.lastHash,
        prunedThroughSeq: Number(row.prunedThroughSeq),
        prunedThroughHash: row.prunedThroughHash,
        preChainThroughSeq: Number(row.preChainThroughSeq),
        mac: row.mac,
      }));
    },
    async recordChainKeys(): Promise<string[]> {
      const rows = await db.auditRecord.findMany({ distinct: ['chainKey'], select: { chainKey: true } });
      return rows.map((row) => row.chainKey);
    },
    async chainsOlderThan(cutoff: Date): Promise<string[]> {
      // The oldest remaining record of each chain, found through the (chain_key, seq) index.
      const rows = await db.$queryRaw<Array<{ chain_key: string }>>`
        SELECT "c"."chain_key" FROM "audit_chains" AS "c"
         WHERE (SELECT "r"."at" FROM "audit_records" AS "r"
                 WHERE "r"."chain_key" = "c"."chain_key" AND "r"."seq" > "c"."pruned_through_seq"
                 ORDER BY "r"."seq" LIMIT 1) < (${cutoff.toISOString()}::timestamptz AT TIME ZONE 'UTC')
         ORDER BY "c"."chain_key"`;
      return rows.map((row) => row.chain_key);
    },
  };
}
