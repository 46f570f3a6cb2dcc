import { describe, expect, it } from '@jest/globals';
import { createAppendBatcher, LATER_MS } from '../../src/data/prisma/audit-append-batcher.js';
import type { AuditEntry } from '../../src/domain/ports/tenancy.js';

const entry = (organizationId: string, label: string): AuditEntry => ({
  organizationId,
  actor: { type: 'cli', id: 'tester' },
  action: 'token.issue',
  targetType: 'token',
  targetId: label,
  before: null,
  after: null,
});
const labels = (chains: ReadonlyMap<string, readonly AuditEntry[]>) =>
  Object.fromEntries([...chains].map(([chain, entries]) => [chain, entries.map((each) => each.targetId)]));

describe('audit append batcher', () => {
  it('writes the appends of one turn, whatever their chain, in one round, in order', async () => {
    const rounds: Array<Record<string, string[]>> = [];
    const batcher = createAppendBatcher(async (chains) => {
      rounds.push(labels(chains));
      return new Map();
    });
    await Promise.all([
      batcher.append('org_a', [entry('org_a', 'a1')]),
      batcher.append('org_b', [entry('org_b', 'b1')]),
      batcher.append('org_a', [entry('org_a', 'a2'), entry('org_a', 'a3')]),
    ]);
    expect(rounds).toEqual([{ org_a: ['a1', 'a2', 'a3'], org_b: ['b1'] }]);
  });

  it('sends what arrives during a round in the next one', async () => {
    const rounds: Array<Record<string, string[]>> = [];
    let release!: () => void;
    const firstRound = new Promise<void>((resolve) => (release = resolve));
    const batcher = createAppendBatcher(async (chains) => {
      rounds.push(labels(chains));
      if (rounds.length === 1) await firstRound;
      return new Map();
    });
    const first = batcher.append('org_a', [entry('org_a', 'a1')]);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [
      batcher.append('org_a', [entry('org_a', 'a2')]),
      batcher.append('org_c', [entry('org_c', 'c1')]),
    ];
    release();
    await Promise.all([first, ...later]);
    expect(rounds).toEqual([{ org_a: ['a1'] }, { org_a: ['a2'], org_c: ['c1'] }]);
  });

  it('fails only the callers of a chain that could not be written', async () => {
    const refused = new Error('chain org_b could not be written');
    const batcher = createAppendBatcher(async () => new Map([['org_b', refused]]));
    const results = await Promise.allSettled([
      batcher.append('org_a', [entry('org_a', 'a1')]),
      batcher.append('org_b', [entry('org_b', 'b1')]),
      batcher.append('org_b', [entry('org_b', 'b2')]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(results[1]).toEqual({ status: 'rejected', reason: refused });
  });

  it('fails every caller of a round whose writer threw, and writes the next round', async () => {
    let calls = 0;
    const batcher = createAppendBatcher(async () => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      return new Map();
    });
    const failed = await Promise.allSettled([
      batcher.append('org_a', [entry('org_a', 'a1')]),
      batcher.append('org_b', [entry('org_b', 'b1')]),
    ]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.append('org_a', [entry('org_a', 'a2')])).resolves.toBeUndefined();
  });

  describe('records nobody waits for', () => {
    const recording = (laterMs = LATER_MS) => {
      const rounds: Array<Record<string, string[]>> = [];
      const batcher = createAppendBatcher(
        async (chains) => {
          rounds.push(labels(chains));
          return new Map();
        },
        { laterMs },
      );
      return { rounds, batcher };
    };
    const turn = () => new Promise((resolve) => setImmediate(resolve));

    it('go with the next round someone waits for', async () => {
      // Far longer than the test may take: only the awaited append can write them.
      const { rounds, batcher } = recording(60_000);
      const later = batcher.append('org_a', [entry('org_a', 'issued')], { later: true });
      await turn();
      expect(rounds).toEqual([]);
      await batcher.append('org_b', [entry('org_b', 'signed-in')]);
      await later;
      expect(rounds).toEqual([{ org_a: ['issued'], org_b: ['signed-in'] }]);
    });

    it('go on their own after a short wait, together', async () => {
      const { rounds, batcher } = recording();
      const started = Date.now();
      await Promise.all([
        batcher.append('org_a', [entry('org_a', 'one')], { later: true }),
        new Promise((resolve) => setTimeout(resolve, 1)).then(() =>
          batcher.append('org_c', [entry('org_c', 'two')], { later: true }),
        ),
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(LATER_MS - 1);
      expect(rounds).toEqual([{ org_a: ['one'], org_c: ['two'] }]);
    });

    it('are written at once when the batcher is drained (shutdown)', async () => {
      const { rounds, batcher } = recording(60_000);
      const later = batcher.append('org_a', [entry('org_a', 'issued')], { later: true });
      await batcher.flush();
      expect(rounds).toEqual([{ org_a: ['issued'] }]);
      await later;
      await expect(batcher.flush()).resolves.toBeUndefined();
    });
  });
});
