import { chainKeyOf, type AuditSealer } from '../../domain/audit/record-hash.js';
import { RuleViolationError } from '../../domain/errors.js';
import type { AuditEntry, AuditFilter, AuditRepository } from '../../domain/ports/tenancy.js';
import { createAppendBatcher } from './audit-append-batcher.js';
import { pruneChainStep } from './audit-chain-pruner.js';
import { createAuditChainReads, toRecord } from './audit-chain-reads.js';
import { appendToChains, prismaStatements } from './audit-chain-writer.js';
import type { ChainAppender } from './audit-chain-fast-append.js';
import type { Prisma, PrismaClient, PrismaExecutor } from './prisma-client.js';

const OWN_TRANSACTION_MAX_WAIT_MS = 10_000;

/** Audit ids are a bigint sequence, exposed as decimal strings; a cursor must be one. */
function afterId(after: string | undefined): bigint | undefined {
  if (after === undefined) return undefined;
  if (!/^\d{1,19}$/.test(after))
    throw new RuleViolationError('invalid page cursor', 'invalid_cursor', 'after');
  return BigInt(after);
}

/** LIKE treats `%`, `_` and `\` as patterns; a prefix filter means them literally. */
const likePrefix = (prefix: string) => prefix.replace(/[\\%_]/g, '\\$&');

function whereOf(filter: AuditFilter, after: bigint | undefined): Prisma.AuditRecordWhereInput {
  const at = filter.from || filter.to ? { gte: filter.from, lt: filter.to } : undefined;
  return {
    organizationId: filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
    actorType: filter.actorType,
    actorId: filter.actorId,
    targetType: filter.targetType,
    targetId: filter.targetId,
    AND: [
      { action: filter.action },
      {
        action:
          filter.actionPrefix === undefined ? undefined : { startsWith: likePrefix(filter.actionPrefix) },
      },
    ],
    at,
    id: after === undefined ? undefined : { gt: after },
  };
}

export interface AuditRepositoryOptions {
  /** Seals records and chain heads (domain/audit/record-hash.ts). */
  sealer: AuditSealer;
  /** Bound to a transaction: appends wait for flushQueued, which the transaction runner calls. */
  inTransaction?: boolean;
  /**
   * Appends outside Prisma (audit-chain-fast-append.ts), one per database, shared with the
   * transactions' repositories: the records of every sign-in and token issue. Without it appends
   * use Prisma's transactions.
   */
  appender?: ChainAppender;
}

/**
 * Audit records, hash-chained per organization. On the root client each append runs in a
 * transaction of its own; in a caller's transaction records are queued and chained just before
 * COMMIT, so a long transaction does not hold the chain heads (which every writer of the
 * organization waits for) any longer than that.
 */
export function createAuditRepository(db: PrismaExecutor, options: AuditRepositoryOptions): AuditRepository {
  const queued: AuditEntry[] = [];
  const { sealer } = options;
  const inOwnTransaction = <T>(work: (tx: PrismaExecutor) => Promise<T>): Promise<T> => {
    if (!('$transaction' in db))
      throw new Error('audit repository: a transaction client needs inTransaction');
    // A burst of writers to one chain queues on its head: allow for the wait to get a connection.
    return (db as PrismaClient).$transaction(work, { maxWait: OWN_TRANSACTION_MAX_WAIT_MS });
  };
  const { appender } = options;
  const appendAlone = async (entries: readonly AuditEntry[]) => {
    if (appender) await appender.appendAll(entries);
    else await inOwnTransaction((tx) => appendToChains(prismaStatements(tx), sealer, entries));
  };
  // Without the appender each chain of a round takes a transaction of its own, one after another.
  const appendEach = async (chains: ReadonlyMap<string, readonly AuditEntry[]>) => {
    const failed = new Map<string, unknown>();
    for (const [chainKey, entries] of chains)
      await appendAlone(entries).catch((error: unknown) => failed.set(chainKey, error));
    return failed;
  };
  const batcher = createAppendBatcher((chains) =>
    appender ? appender.appendChains(chains) : appendEach(chains),
  );
  const write = async (entries: readonly AuditEntry[], later = false) => {
    if (entries.length === 0) return;
    if (options.inTransaction) {
      queued.push(...entries);
      return;
    }
    const chainKeys = new Set(entries.map((entry) => chainKeyOf(entry.organizationId)));
    const [only] = chainKeys;
    // Records of several chains are written together, in one transaction, or not at all.
    if (chainKeys.size === 1 && only !== undefined) await batcher.append(only, entries, { later });
    else await appendAlone(entries);
  };
  const reads = createAuditChainReads(db);

  return {
    append: (entry) => write([entry]),
    appendLater: (entry) => write([entry], true),
    appendMany: (entries) => write(entries),
    drain: () => batcher.flush(),
    async flushQueued() {
      if (queued.length === 0) return;
      const ends = await appendToChains(prismaStatements(db), sealer, queued.splice(0));
      appender?.learn(ends);
    },
    async list(filter, page) {
      const rows = await db.auditRecord.findMany({
        where: whereOf(filter, afterId(page.after)),
        orderBy: { id: 'asc' },
        take: page.limit,
      });
      return rows.map(toRecord);
    },
    ...reads,
    pruneChain(chainKey, cutoff, limit) {
      const step = (tx: PrismaExecutor) =>
        pruneChainStep(tx, sealer, createAuditChainReads(tx).readChain, { chainKey, cutoff, limit });
      return options.inTransaction ? step(db) : inOwnTransaction(step);
    },
  };
}
