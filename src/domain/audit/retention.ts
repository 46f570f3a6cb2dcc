import type { Database } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';
import { AuditChainBrokenError, type ChainFinding } from './chain-walk.js';

/** Records deleted per transaction: each step reads and checks them first, under the chain's lock. */
export const PRUNE_BATCH = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PrunedChain {
  chainKey: string;
  deleted: number;
  prunedThroughSeq: number;
}

export interface RetentionResult {
  cutoff: Date;
  deleted: number;
  chains: PrunedChain[];
  /** Chains retention stopped in because a record before the cutoff fails verification. */
  broken: ChainFinding[];
}

/** Records older than this go; undefined when retention keeps everything (0 days). */
export function retentionCutoff(days: number, now: Date): Date | undefined {
  return days > 0 ? new Date(now.getTime() - days * DAY_MS) : undefined;
}

/**
 * Deletes every chain's records older than `cutoff`, oldest first, moving each chain's pruned mark
 * so the rest still verifies. Each step leaves an `audit.prune` record in the platform chain, in
 * the same transaction as the deletion it describes. A chain with a break before the cutoff keeps
 * its records from the break on (the evidence) and is reported; the other chains are pruned.
 */
export async function pruneAuditLog(db: Database, cutoff: Date, actor: Actor): Promise<RetentionResult> {
  const chains: PrunedChain[] = [];
  const broken: ChainFinding[] = [];
  for (const chainKey of await db.audit.chainsOlderThan(cutoff)) {
    const pruned = { chainKey, deleted: 0, prunedThroughSeq: 0 };
    try {
      await pruneChain(db, pruned, cutoff, actor);
    } catch (error) {
      if (!(error instanceof AuditChainBrokenError)) throw error;
      broken.push(error.finding);
    }
    if (pruned.deleted > 0) chains.push(pruned);
  }
  return { cutoff, deleted: chains.reduce((sum, chain) => sum + chain.deleted, 0), chains, broken };
}

/** Batch after batch until the chain has nothing older than the cutoff; `pruned` keeps the tally. */
async function pruneChain(db: Database, pruned: PrunedChain, cutoff: Date, actor: Actor): Promise<void> {
  for (;;) {
    const step = await db.transaction(async (repos) => {
      const result = await repos.audit.pruneChain(pruned.chainKey, cutoff, PRUNE_BATCH);
      if (result.deleted > 0) {
        await repos.audit.append({
          organizationId: null,
          actor,
          action: 'audit.prune',
          targetType: 'audit_chain',
          targetId: pruned.chainKey,
          before: null,
          after: {
            cutoff: cutoff.toISOString(),
            deleted: result.deleted,
            prunedThroughSeq: result.prunedThroughSeq,
          },
        });
      }
      return result;
    });
    pruned.deleted += step.deleted;
    pruned.prunedThroughSeq = step.prunedThroughSeq;
    if (step.deleted < PRUNE_BATCH) return;
  }
}

/**
 * The periodic pass the server runs with its other purges (AUDIT_RETENTION_DAYS; 0 keeps every
 * record): returns how many records went. Broken chains are reported and keep their records.
 */
export function scheduledAuditRetention(
  db: Database,
  days: number,
  now: () => Date,
  onBroken: (finding: ChainFinding) => void,
): () => Promise<number> {
  return async () => {
    const cutoff = retentionCutoff(days, now());
    if (!cutoff) return 0;
    const result = await pruneAuditLog(db, cutoff, { type: 'system', id: 'retention' });
    result.broken.forEach(onBroken);
    return result.deleted;
  };
}
