import { describe, expect, it } from '@jest/globals';
import { chainedFieldsOf, createChainWalk } from '../../../src/domain/audit/chain-walk.js';
import { createAuditSealer } from '../../../src/domain/audit/record-hash.js';
import type { AuditChainHead, ChainedAuditRecord } from '../../../src/domain/ports/tenancy.js';

const sealer = createAuditSealer(Buffer.alloc(32, 7));
const CHAIN = 'org_1';

/** A sealed chain of `count` records after `preChain` unsealed ones, and its head. */
function chainOf(count: number, preChain = 0) {
  const records: ChainedAuditRecord[] = [];
  let prevHash: string | null = null;
  for (let seq = 1; seq <= preChain + count; seq += 1) {
    const base = {
      id: String(100 + seq),
      seq,
      chainKey: CHAIN,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      organizationId: CHAIN,
      actor: { type: 'cli' as const, id: 'op' },
      action: 'role.update',
      targetType: 'role',
      targetId: 'viewer',
      before: null,
      after: { seq, nested: { b: 1, a: [true] } },
    };
    const sealed = seq > preChain;
    const record: ChainedAuditRecord = { ...base, prevHash: sealed ? prevHash : null, hash: null };
    record.hash = sealed ? sealer.recordHash(chainedFieldsOf(record)) : null;
    prevHash = record.hash;
    records.push(record);
  }
  const fields = {
    chainKey: CHAIN,
    lastSeq: preChain + count,
    lastHash: prevHash,
    prunedThroughSeq: 0,
    prunedThroughHash: null,
    preChainThroughSeq: preChain,
  };
  const head: AuditChainHead = { ...fields, mac: count > 0 ? sealer.headMac(fields) : null };
  return { records, head };
}

function walk(records: ChainedAuditRecord[], head: AuditChainHead) {
  const chain = createChainWalk(head, sealer);
  for (const record of records) {
    const finding = chain.step(record);
    if (finding) return { finding, ...chain.counts() };
  }
  return { finding: chain.finish(), ...chain.counts() };
}

describe('checking one audit chain', () => {
  it('accepts an intact chain and counts records that predate it', () => {
    const { records, head } = chainOf(3, 2);
    expect(walk(records, head)).toEqual({ finding: undefined, checked: 3, preChain: 2 });
    const legacyOnly = chainOf(0, 2);
    expect(walk(legacyOnly.records, legacyOnly.head)).toEqual({
      finding: undefined,
      checked: 0,
      preChain: 2,
    });
  });

  it('names an edited record', () => {
    const { records, head } = chainOf(3);
    records[1] = { ...records[1]!, after: { seq: 2, nested: { a: [true], b: 2 } } };
    expect(walk(records, head).finding).toMatchObject({ kind: 'edited', recordId: '102', seq: 2 });
  });

  it('is not fooled by member order, which jsonb does not keep', () => {
    const { records, head } = chainOf(1);
    records[0] = { ...records[0]!, after: { nested: { a: [true], b: 1 }, seq: 1 } };
    expect(walk(records, head).finding).toBeUndefined();
  });

  it('names the record after a deletion, and a deleted tail', () => {
    const middle = chainOf(4);
    expect(
      walk([middle.records[0]!, middle.records[2]!, middle.records[3]!], middle.head).finding,
    ).toMatchObject({
      kind: 'missing',
      recordId: '103',
      detail: 'the record(s) before it are missing (sequence 2)',
    });
    const tail = chainOf(4);
    expect(walk(tail.records.slice(0, 2), tail.head).finding).toMatchObject({
      kind: 'tail_missing',
      seq: 3,
      detail: "the chain's newest record(s) are missing (sequence 3 to 4)",
    });
  });

  it('names a record renumbered or moved into another place', () => {
    const { records, head } = chainOf(3);
    const swapped = [records[0]!, { ...records[2]!, seq: 2 }, { ...records[1]!, seq: 3 }];
    expect(walk(swapped, head).finding).toMatchObject({ kind: 'edited', seq: 2 });
    const relinked = chainOf(2);
    const other = chainOf(3);
    // A record sealed for the same place in another chain of the same key still breaks the link.
    const foreign = { ...other.records[1]!, prevHash: 'f'.repeat(64) };
    foreign.hash = sealer.recordHash(chainedFieldsOf(foreign));
    expect(walk([relinked.records[0]!, foreign], relinked.head).finding).toMatchObject({
      kind: 'relinked',
      seq: 2,
    });
  });

  it('checks the head: its end, its seal, and what lies beyond it', () => {
    const { records, head } = chainOf(3);
    expect(walk(records, { ...head, mac: 'f'.repeat(64) }).finding).toMatchObject({ kind: 'head_edited' });
    expect(walk(records, { ...head, mac: null }).finding).toMatchObject({ kind: 'head_edited' });
    const shortened = { ...head, lastSeq: 2, lastHash: records[1]!.hash };
    expect(walk(records, shortened).finding).toMatchObject({ kind: 'unexpected', seq: 3 });
  });

  it('starts after the pruned mark and refuses records left below it', () => {
    const { records, head } = chainOf(4);
    const fields = { ...head, prunedThroughSeq: 2, prunedThroughHash: records[1]!.hash };
    const { mac: _mac, ...unsealed } = fields;
    const pruned = { ...fields, mac: sealer.headMac(unsealed) };
    expect(walk(records.slice(2), pruned)).toEqual({ finding: undefined, checked: 2, preChain: 0 });
    expect(walk(records.slice(1), pruned).finding).toMatchObject({ kind: 'unexpected', seq: 2 });
  });
});
