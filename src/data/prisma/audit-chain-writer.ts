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

// Each column and the cast from text to its type. Each column's values go as one text array,
// typed after unnest: one statement text for any number of rows (parsed once, prepared where the
// driver allows) and no parameter limit. `at` is UTC wall time, as Prisma keeps DateTime.
const RECORD_CASTS: Record<string, string> = {
  organization_id: '',
  chain_key: '',
  seq: '::bigint',
  actor_type: '',
  actor_id: '',
  action: '',
  target_type: '',
  target_id: '',
  before: '::jsonb',
  after: '::jsonb',
  at: "::timestamptz AT TIME ZONE 'UTC'",
  prev_hash: '',
  hash: '',
};
const RECORD_COLUMNS = Object.keys(RECORD_CASTS);
const RECORD_SELECT = RECORD_COLUMNS.map((column) => `("${column}"${RECORD_CASTS[column]})`).join(', ');

/**
 * INSERT of the rows given as RECORD_COLUMNS.length text arrays, numbered from `$<first>`
 * (recordColumns builds them); `where` may hold a condition on the statement's other parts.
 */
export function insertRecordsFrom(first: number, where = ''): string {
  const arrays = RECORD_COLUMNS.map((_, index) => `$${first + index}::text[]`).join(', ');
  const names = RECORD_COLUMNS.map((column) => `"${column}"`).join(', ');
  return (
    `INSERT INTO "audit_records" (${names}) SELECT ${RECORD_SELECT} ` +
    `FROM unnest(${arrays}) AS "r"(${names})${where ? ` WHERE ${where}` : ''}`
  );
}

/** The rows (as sealRecords makes them) as one array per column, in RECORD_COLUMNS order. */
export const recordColumns = (rows: readonly unknown[][]): unknown[][] =>
  RECORD_COLUMNS.map((_, index) => rows.map((row) => row[index]));

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
 * The records and the head's move, as one statement (one round trip, which is most of an
 * append's cost).
 */
async function insertRecordsAndSaveHead(
  sql: SqlStatement,
  sealer: AuditSealer,
  rows: readonly unknown[][],
  head: Omit<AuditChainHead, 'mac'>,
): Promise<void> {
  await sql(`WITH "records" AS (${insertRecordsFrom(7)}) ${SAVE_HEAD}`, [
    ...headParams(sealer, head),
    ...recordColumns(rows),
  ]);
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
  await insertRecordsAndSaveHead(sql, sealer, rows, end.head);
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
