import { AuditChainBrokenError, createChainWalk } from '../../domain/audit/chain-walk.js';
import type { AuditSealer } from '../../domain/audit/record-hash.js';
import type { AuditPruneResult, ChainedAuditRecord } from '../../domain/ports/tenancy.js';
import { lockChainHead, prismaStatements, saveChainHead } from './audit-chain-writer.js';
import type { PrismaExecutor } from './prisma-client.js';

/** The sequence of the chain's first record at or after the cutoff past `afterSeq`, if any. */
async function firstKept(tx: PrismaExecutor, chainKey: string, afterSeq: number, cutoff: Date) {
  const row = await tx.auditRecord.findFirst({
    where: { chainKey, seq: { gt: BigInt(afterSeq) }, at: { gte: cutoff } },
    orderBy: { seq: 'asc' },
    select: { seq: true },
  });
  return row ? Number(row.seq) : undefined;
}

/**
 * One retention step on one chain, in the caller's transaction and under the head's lock: the
 * oldest records before the cutoff go (at most `limit`), and the head's pruned mark moves to the
 * last of them, keeping its hash, so the chain still verifies from there. The records are checked
 * before they go: retention never erases the evidence of an edit or a deletion.
 */
export async function pruneChainStep(
  tx: PrismaExecutor,
  sealer: AuditSealer,
  readChain: (chainKey: string, afterSeq: number, limit: number) => Promise<ChainedAuditRecord[]>,
  chain: { chainKey: string; cutoff: Date; limit: number },
): Promise<AuditPruneResult> {
  const head = await lockChainHead(prismaStatements(tx), chain.chainKey);
  const kept = await firstKept(tx, chain.chainKey, head.prunedThroughSeq, chain.cutoff);
  const through = Math.min(kept === undefined ? head.lastSeq : kept - 1, head.prunedThroughSeq + chain.limit);
  if (through <= head.prunedThroughSeq) return { deleted: 0, prunedThroughSeq: head.prunedThroughSeq };

  const records = await readChain(chain.chainKey, head.prunedThroughSeq, through - head.prunedThroughSeq);
  const walk = createChainWalk({ ...head, mac: null }, sealer);
  for (const record of records) {
    const finding = walk.step(record);
    if (finding) throw new AuditChainBrokenError(finding);
  }
  const last = records.at(-1);
  if (!last || last.seq !== through) {
    const seq = (last?.seq ?? head.prunedThroughSeq) + 1;
    const detail = `records up to sequence ${through} are missing`;
    throw new AuditChainBrokenError({ chainKey: chain.chainKey, kind: 'missing', seq, detail });
  }
  const { count } = await tx.auditRecord.deleteMany({
    where: { chainKey: chain.chainKey, seq: { gt: BigInt(head.prunedThroughSeq), lte: BigInt(through) } },
  });
  await saveChainHead(prismaStatements(tx), sealer, {
    ...head,
    prunedThroughSeq: through,
    prunedThroughHash: last.hash,
  });
  return { deleted: count, prunedThroughSeq: through };
}
