import type { AuditChainHead, AuditRepository } from '../ports/tenancy.js';
import { createChainWalk, type ChainFinding } from './chain-walk.js';
import type { AuditSealer } from './record-hash.js';

const PAGE = 1000;

export interface ChainReport {
  chainKey: string;
  /** Sealed records whose hash and link were checked. */
  checked: number;
  /** Records older than the chain (written before the hash chain existed): counted, not vouched for. */
  preChain: number;
  prunedThroughSeq: number;
  lastSeq: number;
  /** The first break, if the chain has one. */
  finding?: ChainFinding;
}

export interface AuditVerification {
  intact: boolean;
  chains: ChainReport[];
}

type ChainReader = Pick<AuditRepository, 'readChain'>;

/** Walks one chain from its first stored record to its head; stops at the first break. */
export async function verifyChain(
  audit: ChainReader,
  sealer: AuditSealer,
  head: AuditChainHead,
): Promise<ChainReport> {
  const walk = createChainWalk(head, sealer);
  const report = (finding?: ChainFinding): ChainReport => ({
    chainKey: head.chainKey,
    ...walk.counts(),
    prunedThroughSeq: head.prunedThroughSeq,
    lastSeq: head.lastSeq,
    ...(finding ? { finding } : {}),
  });
  // From 0, not from the pruned mark: a record slipped in below the mark is a finding too.
  let after = 0;
  for (;;) {
    const page = await audit.readChain(head.chainKey, after, PAGE);
    for (const record of page) {
      const finding = walk.step(record);
      if (finding) return report(finding);
    }
    if (page.length < PAGE) return report(walk.finish());
    after = page.at(-1)!.seq;
  }
}

export interface VerifyOptions {
  /** Only these chains (an organization's id, or `platform`); every chain when absent. */
  chainKeys?: readonly string[];
  /** Called after each chain, for progress on long logs. */
  onChain?: (report: ChainReport) => void;
}

/**
 * `gatehouse audit verify`: every chain, and every chain key that records name without a head
 * (a deleted head would otherwise hide its whole chain).
 */
export async function verifyAuditLog(
  audit: Pick<AuditRepository, 'readChain' | 'chainHeads' | 'recordChainKeys'>,
  sealer: AuditSealer,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const wanted = (key: string) => !options.chainKeys || options.chainKeys.includes(key);
  const heads = (await audit.chainHeads()).filter((head) => wanted(head.chainKey));
  const headless = (await audit.recordChainKeys()).filter(
    (key) => wanted(key) && !heads.some((head) => head.chainKey === key),
  );
  const chains: ChainReport[] = [];
  for (const head of heads.sort((a, b) => (a.chainKey < b.chainKey ? -1 : 1))) {
    const report = await verifyChain(audit, sealer, head);
    chains.push(report);
    options.onChain?.(report);
  }
  for (const chainKey of headless) {
    const [first] = await audit.readChain(chainKey, 0, 1);
    const report: ChainReport = {
      chainKey,
      checked: 0,
      preChain: 0,
      prunedThroughSeq: 0,
      lastSeq: 0,
      finding: {
        chainKey,
        kind: 'no_head',
        ...(first ? { recordId: first.id, seq: first.seq } : {}),
        detail: 'records name this chain but its head is gone',
      },
    };
    chains.push(report);
    options.onChain?.(report);
  }
  return { intact: chains.every((chain) => !chain.finding), chains };
}
