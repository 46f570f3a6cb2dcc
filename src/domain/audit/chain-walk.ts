import { DomainError } from '../errors.js';
import type { AuditChainHead, ChainedAuditRecord } from '../ports/tenancy.js';
import type { AuditSealer, ChainedFields } from './record-hash.js';

/**
 * What a break in a chain means:
 * - `edited`: the record's content (or its hash) differs from what was sealed;
 * - `missing`: sequences are missing before this record (deleted);
 * - `relinked`: a sealed record that does not follow the one before it (inserted or moved);
 * - `unexpected`: a record where the head says none can be (below the pruned mark, beyond the end);
 * - `tail_missing`: the head ends after the last record (the newest records were deleted);
 * - `head_edited`: the head's own fields differ from what was sealed;
 * - `no_head`: records of a chain whose head is gone.
 */
export type ChainFindingKind =
  'edited' | 'missing' | 'relinked' | 'unexpected' | 'tail_missing' | 'head_edited' | 'no_head';

export interface ChainFinding {
  chainKey: string;
  kind: ChainFindingKind;
  /** The record where the break shows (absent for the head's own findings). */
  recordId?: string;
  seq?: number;
  detail: string;
}

/** Retention met a break: it stops there rather than erase the evidence. */
export class AuditChainBrokenError extends DomainError {
  constructor(readonly finding: ChainFinding) {
    const where = finding.recordId ? ` at record ${finding.recordId} (sequence ${finding.seq})` : '';
    super(
      `audit chain ${finding.chainKey} is broken${where}: ${finding.detail}; retention stops there. ` +
        'Run `gatehouse audit verify`.',
      'audit_chain_broken',
    );
  }
}

export const chainedFieldsOf = (record: ChainedAuditRecord): ChainedFields => ({
  chainKey: record.chainKey,
  seq: record.seq,
  prevHash: record.prevHash,
  at: record.at,
  organizationId: record.organizationId,
  actorType: record.actor.type,
  actorId: record.actor.id,
  action: record.action,
  targetType: record.targetType,
  targetId: record.targetId,
  before: record.before,
  after: record.after,
});

/**
 * Checks one chain record by record, in sequence order, from the head's pruned mark: each record
 * must carry the next sequence, the previous record's hash, and the hash of its own content.
 * Records up to the head's pre-chain mark predate the chain and are counted, not checked.
 */
export function createChainWalk(head: AuditChainHead, sealer: AuditSealer) {
  let expectedSeq = head.prunedThroughSeq + 1;
  let prevHash = head.prunedThroughHash;
  let checked = 0;
  let preChain = 0;
  const at = (record: ChainedAuditRecord, kind: ChainFindingKind, detail: string): ChainFinding => ({
    chainKey: head.chainKey,
    kind,
    recordId: record.id,
    seq: record.seq,
    detail,
  });

  const sealedFinding = (record: ChainedAuditRecord): ChainFinding | undefined => {
    if (record.hash === null) return at(record, 'edited', 'its hash was removed');
    if (sealer.recordHash(chainedFieldsOf(record)) !== record.hash) {
      return at(record, 'edited', 'its content does not match its hash');
    }
    if (record.prevHash !== prevHash) {
      return at(record, 'relinked', 'it does not carry the hash of the record before it');
    }
    return undefined;
  };

  return {
    /** The first thing wrong with this record, if any; records must come in ascending sequence. */
    step(record: ChainedAuditRecord): ChainFinding | undefined {
      if (record.seq <= head.prunedThroughSeq) {
        return at(record, 'unexpected', `retention removed every record up to ${head.prunedThroughSeq}`);
      }
      if (record.seq > expectedSeq) {
        const missing =
          expectedSeq === record.seq - 1 ? `${expectedSeq}` : `${expectedSeq} to ${record.seq - 1}`;
        return at(record, 'missing', `the record(s) before it are missing (sequence ${missing})`);
      }
      if (record.seq > head.lastSeq) {
        return at(record, 'unexpected', `the chain's head ends at sequence ${head.lastSeq}`);
      }
      if (record.seq <= head.preChainThroughSeq) {
        preChain += 1;
        prevHash = null;
      } else {
        const finding = sealedFinding(record);
        if (finding) return finding;
        prevHash = record.hash;
        checked += 1;
      }
      expectedSeq = record.seq + 1;
      return undefined;
    },

    /** After the last record: the head must end where the records end, and be sealed. */
    finish: () => headFinding(head, sealer, expectedSeq - 1, prevHash),

    counts: () => ({ checked, preChain }),
  };
}
export type ChainWalk = ReturnType<typeof createChainWalk>;

/** The head against the last record read (`lastSeq`, `lastHash`), and its own seal. */
function headFinding(
  head: AuditChainHead,
  sealer: AuditSealer,
  lastSeq: number,
  lastHash: string | null,
): ChainFinding | undefined {
  const base = { chainKey: head.chainKey };
  if (lastSeq < head.lastSeq) {
    const range = lastSeq + 1 === head.lastSeq ? `${head.lastSeq}` : `${lastSeq + 1} to ${head.lastSeq}`;
    return {
      ...base,
      kind: 'tail_missing',
      seq: lastSeq + 1,
      detail: `the chain's newest record(s) are missing (sequence ${range})`,
    };
  }
  if (lastHash !== head.lastHash) {
    return { ...base, kind: 'head_edited', detail: "the head's last hash is not the last record's" };
  }
  const { mac, ...fields } = head;
  const sealed = head.lastSeq > head.preChainThroughSeq || head.prunedThroughSeq > 0;
  if (mac === null ? sealed : mac !== sealer.headMac(fields)) {
    return { ...base, kind: 'head_edited', detail: "the head's fields do not match its seal" };
  }
  return undefined;
}
