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

/** A chain's new end as sealed here, and the sequence its head must still be at for it to hold. */
interface Move {
  chainKey: string;
  end: ChainEnd;
  clockOffsetMs: number;
  expectedSeq: number;
  rows: unknown[][];
}

const MOVE_COLUMNS = 7;

// Each head moves only if it is still where this process left it (no other writer, no pruning
// since), and a chain's records go in only if its head moved: one statement, so both or neither.
// The heads are locked in key order, the order every other writer of several chains takes them
// in (audit-chain-writer.ts appendToChains), so two such statements cannot deadlock.
const MOVE_HEADS_IF_UNCHANGED = `
  WITH "moves" AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      AS m("chain_key", "last_seq", "last_hash", "pruned_through_seq", "pruned_through_hash", "mac", "expected_seq")
  ), "locked" AS (
    SELECT c."chain_key" FROM "audit_chains" c JOIN "moves" m ON m."chain_key" = c."chain_key"
     WHERE c."last_seq" = m."expected_seq"::bigint AND c."pruned_through_seq" = m."pruned_through_seq"::bigint
     ORDER BY c."chain_key"
       FOR UPDATE OF c
  ), "head" AS (
    UPDATE "audit_chains" c
       SET "last_seq" = m."last_seq"::bigint, "last_hash" = m."last_hash",
           "pruned_through_seq" = m."pruned_through_seq"::bigint, "pruned_through_hash" = m."pruned_through_hash",
           "mac" = m."mac"
      FROM "moves" m JOIN "locked" l ON l."chain_key" = m."chain_key"
     WHERE c."chain_key" = m."chain_key" AND c."last_seq" = m."expected_seq"::bigint
       AND c."pruned_through_seq" = m."pruned_through_seq"::bigint
    RETURNING c."chain_key"
  ), "records" AS (
    ${insertRecordsFrom(MOVE_COLUMNS + 1, '"r"."chain_key" IN (SELECT "chain_key" FROM "head")')}
  )
  SELECT coalesce(array_agg("chain_key"), '{}') AS "moved" FROM "head"`;

/** The moves as one text array per column, in the order MOVE_HEADS_IF_UNCHANGED unnests them. */
function moveColumns(sealer: AuditSealer, moves: readonly Move[]): unknown[][] {
  const heads = moves.map((move) => [...headParams(sealer, move.end.head), String(move.expectedSeq)]);
  return Array.from({ length: MOVE_COLUMNS }, (_, column) => heads.map((head) => head[column]));
}

/**
 * Appends to chains outside any caller's transaction, the way sign-ins and token issues do, in
 * one round trip when it can. The chain head's lock (audit-chain-writer.ts) is what keeps a chain
 * gap-free with several writers; taking it costs a transaction of four round trips. A process
 * that wrote a chain last already knows its head, so it moves the head on the condition that it
 * is unchanged, records included: chains written by nobody else meanwhile take one statement,
 * however many there are (each organization has its own chain, so a busy process writes many at
 * once). Anyone else's write (another process, an admin transaction, retention) fails the
 * condition, and that chain's append takes the lock as before. The records' instant follows the
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

  const moveFrom = (last: KnownEnd, entries: readonly AuditEntry[]): Move => {
    const at = new Date(Math.max(Date.now() + last.clockOffsetMs, last.at.getTime()));
    const { rows, end } = sealRecords(deps.sealer, last.head, at, entries);
    return {
      chainKey: last.head.chainKey,
      end,
      clockOffsetMs: last.clockOffsetMs,
      expectedSeq: last.head.lastSeq,
      rows,
    };
  };

  /** The chains whose heads moved as sealed here (their records are in); the others are untouched. */
  const ifUnchanged = async (moves: readonly Move[]): Promise<Set<string>> => {
    const params = [...moveColumns(deps.sealer, moves), ...recordColumns(moves.flatMap((move) => move.rows))];
    const [result] = (await deps.query('audit_move_heads_if_unchanged', MOVE_HEADS_IF_UNCHANGED, params))
      .rows;
    const moved = new Set((result?.moved as string[] | undefined) ?? []);
    for (const move of moves)
      if (moved.has(move.chainKey))
        known.set(move.chainKey, { ...move.end, clockOffsetMs: move.clockOffsetMs });
    return moved;
  };

  return {
    /**
     * Appends each chain's records, in order, and answers the chains whose records could not be
     * committed, with why. Chains this process knows the head of go in one statement; the rest
     * (and any whose head moved meanwhile) take their locks, together.
     */
    async appendChains(chains: ReadonlyMap<string, readonly AuditEntry[]>): Promise<Map<string, unknown>> {
      const failed = new Map<string, unknown>();
      const moves: Move[] = [];
      const lockedKeys: string[] = [];
      for (const [chainKey, entries] of chains) {
        const last = known.get(chainKey);
        // Forgotten until a write succeeds: a failed statement leaves the head unknown.
        known.delete(chainKey);
        if (last) moves.push(moveFrom(last, entries));
        else lockedKeys.push(chainKey);
      }
      if (moves.length > 0) {
        try {
          const moved = await ifUnchanged(moves);
          for (const move of moves) if (!moved.has(move.chainKey)) lockedKeys.push(move.chainKey);
        } catch (error) {
          for (const move of moves) failed.set(move.chainKey, error);
        }
      }
      if (lockedKeys.length > 0) {
        try {
          await underLock(lockedKeys.flatMap((chainKey) => chains.get(chainKey)!));
        } catch (error) {
          for (const chainKey of lockedKeys) failed.set(chainKey, error);
        }
      }
      return failed;
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
