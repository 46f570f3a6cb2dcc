import type { AuditSealer } from '../../domain/audit/record-hash.js';
import type { AuditEntry } from '../../domain/ports/tenancy.js';
import type { Query, SqlTransaction } from '../sql/query.js';
import {
  appendToChains,
  headParams,
  insertRecordsFrom,
  recordColumns,
  sealRecords,
  type ChainEnd,
} from './audit-chain-writer.js';

/** Where this process last left a chain, and how far the database's clock was ahead of its own. */
interface KnownEnd extends ChainEnd {
  clockOffsetMs: number;
}

// The head moves only if it is still where this process left it (no other writer, no pruning
// since), and the records go in only if it moved: one statement, so both or neither.
const MOVE_HEAD_IF_UNCHANGED = `
  WITH "head" AS (
    UPDATE "audit_chains"
       SET "last_seq" = $2::bigint, "last_hash" = $3, "pruned_through_seq" = $4::bigint,
           "pruned_through_hash" = $5, "mac" = $6
     WHERE "chain_key" = $1 AND "last_seq" = $7::bigint AND "pruned_through_seq" = $4::bigint
    RETURNING 1
  ), "records" AS (
    ${insertRecordsFrom(8, 'EXISTS (SELECT 1 FROM "head")')}
  )
  SELECT count(*)::int AS "moved" FROM "head"`;

/**
 * Appends to a chain outside any caller's transaction, the way sign-ins and token issues do, in
 * one round trip when it can. The chain head's lock (audit-chain-writer.ts) is what keeps the
 * chain gap-free with several writers; taking it costs a transaction of four round trips. A
 * process that wrote a chain last already knows its head, so it moves the head on the condition
 * that it is unchanged, records included: a chain written by nobody else meanwhile takes one
 * statement. Anyone else's write (another process, an admin transaction, retention) fails the
 * condition, and the append takes the lock as before. The records' instant follows the
 * database's clock as last read under the lock, never going back along the chain.
 */
export function createChainAppender(deps: {
  sealer: AuditSealer;
  /** A prepared statement on any pooled session. */
  query: Query;
  transaction: SqlTransaction;
}) {
  const known = new Map<string, KnownEnd>();

  const learn = (ends: readonly ChainEnd[]) => {
    for (const end of ends)
      known.set(end.head.chainKey, { ...end, clockOffsetMs: end.at.getTime() - Date.now() });
  };
  const underLock = async (entries: readonly AuditEntry[]) =>
    learn(await deps.transaction((sql) => appendToChains(sql, deps.sealer, entries)));

  const ifUnchanged = async (last: KnownEnd, entries: readonly AuditEntry[]): Promise<boolean> => {
    const at = new Date(Math.max(Date.now() + last.clockOffsetMs, last.at.getTime()));
    const { rows, end } = sealRecords(deps.sealer, last.head, at, entries);
    const params = [...headParams(deps.sealer, end.head), String(last.head.lastSeq), ...recordColumns(rows)];
    const [result] = (await deps.query('audit_move_head_if_unchanged', MOVE_HEAD_IF_UNCHANGED, params)).rows;
    if (Number(result?.moved) !== 1) return false;
    known.set(last.head.chainKey, { ...end, clockOffsetMs: last.clockOffsetMs });
    return true;
  };

  return {
    /** Appends one chain's records, in order; resolves once they are committed. */
    async append(chainKey: string, entries: readonly AuditEntry[]): Promise<void> {
      const last = known.get(chainKey);
      known.delete(chainKey);
      if (last && (await ifUnchanged(last, entries))) return;
      await underLock(entries);
    },
    /** Appends records of several chains in one transaction under their locks: all or none. */
    appendAll: underLock,
    /**
     * Where a caller's transaction left chains, just before its COMMIT: the next append here can
     * take the one statement. Should the transaction roll back, that append finds the head
     * elsewhere and takes the lock.
     */
    learn,
  };
}

export type ChainAppender = ReturnType<typeof createChainAppender>;
