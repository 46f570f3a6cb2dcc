import { chainKeyOf, type AuditSealer } from '../../domain/audit/record-hash.js';
import { redactSnapshot } from '../../domain/audit/redact.js';
import type { AuditChainHead, AuditEntry } from '../../domain/ports/tenancy.js';
import type { SqlStatement } from '../sql/query.js';
import type { PrismaExecutor } from './prisma-client.js';

/**
 * The chain is written in plain SQL, so the same statements run on a Prisma transaction (an admin
 * write's records, queued until its COMMIT; retention) and on a pooled session of their own
 * (sql/transaction.ts: the records of sign-ins and token issues, where Prisma's per-query cost
 * showed in every token response). Integers go as text and timestamps as ISO strings, cast in
 * SQL, so both drivers bind them the same way.
 */
export const prismaStatements =
  (tx: PrismaExecutor): SqlStatement =>
  (text, params) =>
    tx.$queryRawUnsafe(text, ...params);

/** A chain head under this transaction's row lock, and the database's clock read after taking it. */
type LockedHead = Omit<AuditChainHead, 'mac'> & { now: Date };

const LOCK_HEAD = `
  INSERT INTO "audit_chains" ("chain_key") VALUES ($1)
  ON CONFLICT ("chain_key") DO UPDATE SET "chain_key" = EXCLUDED."chain_key"
  RETURNING "last_seq", "last_hash", "pruned_through_seq", "pruned_through_hash", "pre_chain_through_seq",
            floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS "now_ms"`;

/**
 * Takes the chain head's row lock (creating the head on a chain's first record) until the
 * transaction ends: every writer of the chain queues here, so sequences are gap-free and each
 * record hashes over the one before it. The instant is read after the lock, so it never goes
 * backwards along a chain; milliseconds, which is what the timestamp(3) column keeps.
 */
export async function lockChainHead(sql: SqlStatement, chainKey: string): Promise<LockedHead> {
  const [row] = await sql(LOCK_HEAD, [chainKey]);
  if (!row) throw new Error(`audit chain ${chainKey}: the head could not be locked`);
  // int8 arrives as bigint from Prisma and as a decimal string from pg.
  return {
    chainKey,
    lastSeq: Number(row.last_seq),
    lastHash: row.last_hash as string | null,
    prunedThroughSeq: Number(row.pruned_through_seq),
    prunedThroughHash: row.pruned_through_hash as string | null,
    preChainThroughSeq: Number(row.pre_chain_through_seq),
    now: new Date(Number(row.now_ms)),
  };
}

const SAVE_HEAD = `
  UPDATE "audit_chains"
     SET "last_seq" = $2::bigint, "last_hash" = $3, "pruned_through_seq" = $4::bigint,
         "pruned_through_hash" = $5, "mac" = $6
   WHERE "chain_key" = $1`;

/** Moves the head to its new end (or pruned mark) and seals it; the caller holds its lock. */
export async function saveChainHead(
  sql: SqlStatement,
  sealer: AuditSealer,
  head: Omit<AuditChainHead, 'mac'>,
): Promise<void> {
  await sql(SAVE_HEAD, headParams(sealer, head));
}

const RECORD_COLUMNS =
  '"organization_id", "chain_key", "seq", "actor_type", "actor_id", "action", "target_type", "target_id", ' +
  '"before", "after", "at", "prev_hash", "hash"';
// The SQL type of each column's parameter; `at` is UTC wall time, as Prisma keeps DateTime.
const RECORD_PARAMS = ['', '', '::bigint', '', '', '', '', '', '::jsonb', '::jsonb', '::timestamptz', '', ''];
// PostgreSQL takes at most 65,535 parameters in one statement.
export const ROWS_PER_INSERT = 1000;

/** The rows as a VALUES list for "audit_records", their parameters numbered from `$<first>`. */
export function recordValues(rows: readonly unknown[][], first: number): { values: string; params: unknown[] } {
  const values = rows.map((_, row) => {
    const base = first - 1 + row * RECORD_PARAMS.length;
    const cells = RECORD_PARAMS.map((cast, column) => `$${base + column + 1}${cast}`);
    cells[10] = `(${cells[10]} AT TIME ZONE 'UTC')`;
    return `(${cells.join(', ')})`;
  });
  return { values: `VALUES ${values.join(', ')}`, params: rows.flat() };
}

export const INSERT_RECORDS = `INSERT INTO "audit_records" (${RECORD_COLUMNS})`;

function insertRecords(rows: readonly unknown[][], first = 1): { text: string; params: unknown[] } {
  const { values, params } = recordValues(rows, first);
  return { text: `${INSERT_RECORDS} ${values}`, params };
}

/** The head's parameters as SAVE_HEAD numbers them ($1 to $6). */
export const headParams = (sealer: AuditSealer, head: Omit<AuditChainHead, 'mac'>): unknown[] => [
  head.chainKey,
  String(head.lastSeq),
  head.lastHash,
  String(head.prunedThroughSeq),
  head.prunedThroughHash,
  sealer.headMac(head),
];

/**
 * The last records and the head's move, as one statement (one round trip, which is most of an
 * append's cost).
 */
async function insertLastRecordsAndSaveHead(
  sql: SqlStatement,
  sealer: AuditSealer,
  rows: readonly unknown[][],
  head: Omit<AuditChainHead, 'mac'>,
): Promise<void> {
  const insert = insertRecords(rows, 7);
  await sql(`WITH "records" AS (${insert.text}) ${SAVE_HEAD}`, [...headParams(sealer, head), ...insert.params]);
}

const jsonParam = (value: unknown) => (value === null ? null : JSON.stringify(value));

/** Where a chain ends after an append: its head, and the instant its last records carry. */
export interface ChainEnd {
  head: Omit<AuditChainHead, 'mac'>;
  at: Date;
}

/** The entries as rows of the chain after `head`, each hashing over the one before, all at `at`. */
export function sealRecords(
  sealer: AuditSealer,
  head: Omit<AuditChainHead, 'mac'>,
  at: Date,
  entries: readonly AuditEntry[],
): { rows: unknown[][]; end: ChainEnd } {
  const { chainKey } = head;
  let { lastSeq: seq, lastHash: prevHash } = head;
  const rows = entries.map((entry) => {
    seq += 1;
    const fields = {
      chainKey,
      seq,
      prevHash,
      at,
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
    return [
      fields.organizationId,
      chainKey,
      String(fields.seq),
      fields.actorType,
      fields.actorId,
      fields.action,
      fields.targetType,
      fields.targetId,
      jsonParam(fields.before),
      jsonParam(fields.after),
      at.toISOString(),
      fields.prevHash,
      hash,
    ];
  });
  return { rows, end: { head: { ...head, lastSeq: seq, lastHash: prevHash }, at } };
}

/** Appends one chain's records in order, under its head's lock. */
async function appendToChain(
  sql: SqlStatement,
  sealer: AuditSealer,
  chainKey: string,
  entries: readonly AuditEntry[],
): Promise<ChainEnd> {
  const { now, ...head } = await lockChainHead(sql, chainKey);
  const { rows, end } = sealRecords(sealer, head, now, entries);
  const last = Math.max(0, rows.length - ROWS_PER_INSERT);
  for (let start = 0; start < last; start += ROWS_PER_INSERT) {
    const { text, params } = insertRecords(rows.slice(start, Math.min(start + ROWS_PER_INSERT, last)));
    await sql(text, params);
  }
  await insertLastRecordsAndSaveHead(sql, sealer, rows.slice(last), end.head);
  return end;
}

/**
 * Appends records to their chains inside the caller's transaction. Chains are locked in key
 * order, the same order for every writer, so two transactions cannot deadlock on their heads.
 */
export async function appendToChains(
  sql: SqlStatement,
  sealer: AuditSealer,
  entries: readonly AuditEntry[],
): Promise<ChainEnd[]> {
  const byChain = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const key = chainKeyOf(entry.organizationId);
    const chain = byChain.get(key);
    if (chain) chain.push(entry);
    else byChain.set(key, [entry]);
  }
  const ends: ChainEnd[] = [];
  for (const chainKey of [...byChain.keys()].sort()) {
    ends.push(await appendToChain(sql, sealer, chainKey, byChain.get(chainKey)!));
  }
  return ends;
}
