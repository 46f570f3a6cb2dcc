import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import { createAuditSealer, PLATFORM_CHAIN } from '../../src/domain/audit/record-hash.js';
import { REDACTED } from '../../src/domain/audit/redact.js';
import { pruneAuditLog } from '../../src/domain/audit/retention.js';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log.js';
import type { AuditEntry } from '../../src/domain/ports/tenancy.js';
import { sleep } from '../support/clock.js';
import { openDuringSuite } from '../support/suite-database.js';

export const AUDIT_TEST_KEY = randomBytes(32);

const actor = { type: 'cli' as const, id: 'tester' };

export const entry = (
  organizationId: string | null,
  action = 'role.update',
  after: unknown = {},
): AuditEntry => ({
  organizationId,
  actor,
  action,
  targetType: 'role',
  targetId: 'viewer',
  before: null,
  after,
});

export const newOrganizationId = () => `org_${randomUUID()}`;

/**
 * The audit hash chain, the same on PostgreSQL and PGlite. `open` must give a database of the
 * suite's own (verify walks every chain) keyed with AUDIT_TEST_KEY.
 */
export function describeAuditChainContract(label: string, open: () => Promise<OpenedDatabase>): void {
  describe(`audit hash chain on ${label}`, () => {
    let db: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));
    const sealer = createAuditSealer(AUDIT_TEST_KEY);
    const verify = (chainKeys?: string[]) => verifyAuditLog(db.audit, sealer, chainKeys ? { chainKeys } : {});
    const chain = async (organizationId: string) =>
      (await db.audit.readChain(organizationId, 0, 1000)).map(({ seq, prevHash, hash }) => ({
        seq,
        prevHash,
        hash,
      }));

    it('numbers each organization’s records 1, 2, 3..., each carrying the hash of the one before', async () => {
      const [a, b] = [newOrganizationId(), newOrganizationId()];
      await db.audit.append(entry(a));
      await db.audit.append(entry(b));
      await db.audit.appendMany([entry(a, 'role.create'), entry(b), entry(a, 'role.delete')]);
      const records = await chain(a);
      expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
      expect(records[0]?.prevHash).toBeNull();
      expect(records[1]?.prevHash).toBe(records[0]?.hash);
      expect(records[2]?.prevHash).toBe(records[1]?.hash);
      expect((await chain(b)).map((record) => record.seq)).toEqual([1, 2]);
      const listed = await db.audit.list({ organizationIds: [a] }, { limit: 10 });
      expect(listed.map((record) => [record.seq, record.action])).toEqual([
        [1, 'role.update'],
        [2, 'role.create'],
        [3, 'role.delete'],
      ]);
      expect(await verify([a, b])).toMatchObject({
        intact: true,
        chains: [{ checked: expect.any(Number) }, {}],
      });
    });

    it('chains records without an organization in the platform chain', async () => {
      await db.audit.append(entry(null, 'signing_key.rotate'));
      const [head] = (await db.audit.chainHeads()).filter(
        (candidate) => candidate.chainKey === PLATFORM_CHAIN,
      );
      expect(head?.lastSeq).toBeGreaterThan(0);
      expect((await verify([PLATFORM_CHAIN])).intact).toBe(true);
    });

    it('checks snapshots whatever order jsonb gives their members back, with secrets redacted', async () => {
      const organizationId = newOrganizationId();
      const after = {
        zeta: 1,
        a: { y: [3, { b: 'é', a: null }], x: 1.5e-7, longer_name: true },
        aa: 'text with \u0000 nul and "quotes" and 😀',
        big: 12345678901234567000,
        clientSecret: 'hunter2',
        nested: [{ password: 'pw', passwordChangedAt: '2026-01-01T00:00:00.000Z' }],
      };
      await db.audit.append({ ...entry(organizationId, 'client.update', after), before: new Date(0) });
      const [record] = await db.audit.list({ organizationIds: [organizationId] }, { limit: 1 });
      expect(record?.after).toMatchObject({
        clientSecret: REDACTED,
        nested: [{ password: REDACTED, passwordChangedAt: '2026-01-01T00:00:00.000Z' }],
        aa: 'text with \uFFFD nul and "quotes" and 😀',
      });
      expect(record?.before).toBe('1970-01-01T00:00:00.000Z');
      expect((await verify([organizationId])).intact).toBe(true);
    });

    it('keeps text that array literals quote or read as NULL, alone and in a transaction', async () => {
      // Each column's values go to the database as one text array (audit-chain-writer.ts).
      const organizationId = newOrganizationId();
      const awkward = [
        'NULL',
        'null',
        '',
        ' padded ',
        'a,b',
        '{x}',
        'say "hi"',
        'back\\slash',
        'tab\there',
        'é😀',
      ];
      const tricky = (text: string): AuditEntry => ({
        ...entry(organizationId, 'role.update', { text }),
        actor: { type: 'cli', id: text },
        targetId: text,
      });
      await db.audit.append(tricky(awkward[0]!));
      await db.audit.appendMany(awkward.slice(1, 5).map(tricky));
      await db.transaction(async (repos) => {
        for (const text of awkward.slice(5)) await repos.audit.append(tricky(text));
      });
      await db.audit.append(tricky(awkward[0]!));
      const records = await db.audit.list({ organizationIds: [organizationId] }, { limit: 20 });
      const stored = records
        .sort((x, y) => x.seq - y.seq)
        .map((record) => [record.actor.id, record.targetId, record.after]);
      expect(stored).toEqual([...awkward, awkward[0]].map((text) => [text, text, { text }]));
      expect((await verify([organizationId])).intact).toBe(true);
    });

    it('appends more records at once than one statement could take as parameters', async () => {
      // 13 columns x 6,000 rows would be 78,000 parameters; PostgreSQL takes at most 65,535.
      const organizationId = newOrganizationId();
      await db.audit.appendMany(
        Array.from({ length: 6000 }, (_, index) => entry(organizationId, `bulk.${index}`)),
      );
      const head = (await db.audit.chainHeads()).find((candidate) => candidate.chainKey === organizationId);
      expect(head?.lastSeq).toBe(6000);
      expect((await verify([organizationId])).intact).toBe(true);
    });

    it('chains records appended in a transaction at commit, and none of a rolled-back one', async () => {
      const organizationId = newOrganizationId();
      await db.transaction(async (repos) => {
        await repos.audit.append(entry(organizationId, 'role.create'));
        await repos.audit.appendMany([entry(organizationId), entry(null)]);
        // Queued until the transaction's flush: not visible yet, even inside it.
        expect(await repos.audit.list({ organizationIds: [organizationId] }, { limit: 10 })).toEqual([]);
      });
      await expect(
        db.transaction(async (repos) => {
          await repos.audit.append(entry(organizationId, 'role.delete'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await db.audit.append(entry(organizationId, 'role.delete'));
      expect((await chain(organizationId)).map((record) => record.seq)).toEqual([1, 2, 3]);
      expect((await verify([organizationId])).intact).toBe(true);
    });

    it('filters by actor, action (exact or prefix), target and time', async () => {
      const organizationId = newOrganizationId();
      const other = { type: 'api_key' as const, id: `key_${randomUUID()}` };
      await db.audit.append(entry(organizationId, 'login.succeeded'));
      await db.audit.append({ ...entry(organizationId, 'login.failed'), actor: other, targetId: 'someone' });
      await db.audit.append(entry(organizationId, 'loginXfailed'));
      await db.audit.append(entry(organizationId, 'api_key.create'));
      const actions = async (filter: Parameters<typeof db.audit.list>[0]) =>
        (await db.audit.list({ organizationIds: [organizationId], ...filter }, { limit: 10 })).map(
          (record) => record.action,
        );
      expect(await actions({ actionPrefix: 'login.' })).toEqual(['login.succeeded', 'login.failed']);
      // `_` is a LIKE pattern: the prefix filter means it literally.
      expect(await actions({ actionPrefix: 'api_' })).toEqual(['api_key.create']);
      expect(await actions({ action: 'login.failed' })).toEqual(['login.failed']);
      expect(await actions({ actorType: 'api_key', actorId: other.id })).toEqual(['login.failed']);
      expect(await actions({ targetType: 'role', targetId: 'someone' })).toEqual(['login.failed']);
      const all = await db.audit.list({ organizationIds: [organizationId] }, { limit: 10 });
      const future = new Date(Date.now() + 60_000);
      expect(await actions({ from: future })).toEqual([]);
      expect(await actions({ from: all[0]!.at, to: future })).toHaveLength(4);
      expect(await actions({ to: all[0]!.at })).toEqual([]);
    });

    it('prunes records older than the cutoff, moves the pruned mark, and still verifies', async () => {
      const organizationId = newOrganizationId();
      await db.audit.appendMany([entry(organizationId), entry(organizationId), entry(organizationId)]);
      await sleep(5);
      await db.audit.append(entry(organizationId, 'role.create'));
      const records = await db.audit.list({ organizationIds: [organizationId] }, { limit: 10 });
      const cutoff = records[3]!.at;
      const result = await pruneAuditLog(db, cutoff, { type: 'system', id: 'retention' });
      expect(result.chains).toContainEqual({ chainKey: organizationId, deleted: 3, prunedThroughSeq: 3 });
      expect((await chain(organizationId)).map((record) => record.seq)).toEqual([4]);
      const [head] = (await db.audit.chainHeads()).filter(
        (candidate) => candidate.chainKey === organizationId,
      );
      expect(head).toMatchObject({ prunedThroughSeq: 3, lastSeq: 4, prunedThroughHash: expect.any(String) });
      await db.audit.append(entry(organizationId));
      expect((await verify([organizationId, PLATFORM_CHAIN])).intact).toBe(true);
      const pruneRecords = await db.audit.list(
        { action: 'audit.prune', targetId: organizationId },
        { limit: 10 },
      );
      expect(pruneRecords).toEqual([
        expect.objectContaining({
          organizationId: null,
          actor: { type: 'system', id: 'retention' },
          after: { cutoff: cutoff.toISOString(), deleted: 3, prunedThroughSeq: 3 },
        }),
      ]);
      // Nothing left before the cutoff: a second pass deletes nothing and records nothing.
      expect((await pruneAuditLog(db, cutoff, actor)).chains.map((c) => c.chainKey)).not.toContain(
        organizationId,
      );
    });
  });
}
