import { chainKeyOf, type AuditSealer } from '../../domain/audit/record-hash.js';
import { redactSnapshot } from '../../domain/audit/redact.js';
import type { AuditChainHead, AuditEntry } from '../../domain/ports/tenancy.js';
import { Prisma } from './prisma-client.js';
import type { PrismaExecutor } from './prisma-client.js';

type HeadRow = {
  last_seq: bigint;
  last_hash: string | null;
  pruned_through_seq: bigint;
  pruned_through_hash: string | null;
  pre_chain_through_seq: bigint;
  now_ms: bigint;
};

/** A chain head under this transaction's row lock, and the database's clock read after taking it. */
type LockedHead = Omit<AuditChainHead, 'mac'> & { now: Date };

/**
 * Takes the chain head's row lock (creating the head on a chain's first record) until the
 * transaction ends: every writer of the chain queues here, so sequences are gap-free and each
 * record hashes over the one before it. The instant is read after the lock, so it never goes
 * backwards along a chain; milliseconds, which is what the timestamp(3) column keeps.
 */
export async function lockChainHead(tx: PrismaExecutor, chainKey: string): Promise<LockedHead> {
  const rows = await tx.$queryRaw<HeadRow[]>`
    INSERT INTO "audit_chains" ("chain_key") VALUES (${chainKey})
    ON CONFLICT ("chain_key") DO UPDATE SET "chain_key" = EXCLUDED."chain_key"
    RETURNING "last_seq", "last_hash", "pruned_through_seq", "pruned_through_hash", "pre_chain_through_seq",
              floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS "now_ms"`;
  const row = rows[0];
  if (!row) throw new Error(`audit chain ${chainKey}: the head could not be locked`);
  return {
    chainKey,
    lastSeq: Number(row.last_seq),
    lastHash: row.last_hash,
    prunedThroughSeq: Number(row.pruned_through_seq),
    prunedThroughHash: row.pruned_through_hash,
    preChainThroughSeq: Number(row.pre_chain_through_seq),
    now: new Date(Number(row.now_ms)),
  };
}

/** Moves the head to its new end (or pruned mark) and seals it; the caller holds its lock. */
export async function saveChainHead(
  tx: PrismaExecutor,
  sealer: AuditSealer,
  head: Omit<AuditChainHead, 'mac'>,
): Promise<void> {
  await tx.auditChain.update({
    where: { chainKey: head.chainKey },
    data: {
      lastSeq: BigInt(head.lastSeq),
      lastHash: head.lastHash,
      prunedThroughSeq: BigInt(head.prunedThroughSeq),
      prunedThroughHash: head.prunedThroughHash,
      mac: sealer.headMac(head),
    },
  });
}

const jsonColumn = (value: unknown) =>
  value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);

/** Appends one chain's records in order, under its head's lock. */
async function appendToChain(
  tx: PrismaExecutor,
  sealer: AuditSealer,
  chainKey: string,
  entries: readonly AuditEntry[],
): Promise<void> {
  const head = await lockChainHead(tx, chainKey);
  let { lastSeq: seq, lastHash: prevHash } = head;
  const rows = entries.map((entry) => {
    seq += 1;
    const fields = {
      chainKey,
      seq,
      prevHash,
      at: head.now,
      organizationId: entry.organizationId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: redactSnapshot(entry.before),
      after: redactSnapshot(entry.after),
    };
    const hash = sealer.recordHash(fields);
    prevHash = hash;
    return {
      ...fields,
      seq: BigInt(fields.seq),
      hash,
      before: jsonColumn(fields.before),
      after: jsonColumn(fields.after),
    };
  });
  await tx.auditRecord.createMany({ data: rows });
  await saveChainHead(tx, sealer, { ...head, lastSeq: seq, lastHash: prevHash });
}

/**
 * Appends records to their chains inside the caller's transaction. Chains are locked in key
 * order, the same order for every writer, so two transactions cannot deadlock on their heads.
 */
export async function appendToChains(
  tx: PrismaExecutor,
  sealer: AuditSealer,
  entries: readonly AuditEntry[],
): Promise<void> {
  const byChain = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const key = chainKeyOf(entry.organizationId);
    const chain = byChain.get(key);
    if (chain) chain.push(entry);
    else byChain.set(key, [entry]);
  }
  for (const chainKey of [...byChain.keys()].sort()) {
    await appendToChain(tx, sealer, chainKey, byChain.get(chainKey)!);
  }
}
