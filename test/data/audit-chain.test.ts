import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openDatabase, type OpenedDatabase } from '../../src/data/database.js';
import { createChainAppender } from '../../src/data/prisma/audit-chain-fast-append.js';
import { connectPostgres } from '../../src/data/prisma/connect.js';
import { AuditChainBrokenError } from '../../src/domain/audit/chain-walk.js';
import { createAuditSealer } from '../../src/domain/audit/record-hash.js';
import { pruneAuditLog } from '../../src/domain/audit/retention.js';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { createMigratedDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import {
  AUDIT_TEST_KEY,
  describeAuditChainContract,
  entry,
  newOrganizationId,
} from './audit-chain-contract.js';

// Databases of their own: verify and retention walk every chain there is.
describe('PostgreSQL', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createMigratedDatabase('gatehouse_audit');
  }, 60_000);
  afterAll(async () => {
    await database.drop();
  });

  describeAuditChainContract('PostgreSQL', () =>
    openDatabase({ url: database.url, dataDir: 'unused', auditKey: AUDIT_TEST_KEY }),
  );

  describe('tampering and concurrency', () => {
    let db: OpenedDatabase;
    let sql: pg.Client;
    const sealer = createAuditSealer(AUDIT_TEST_KEY);
    beforeAll(async () => {
      db = await openDatabase({ url: database.url, dataDir: 'unused', auditKey: AUDIT_TEST_KEY });
      sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
    });
    afterAll(async () => {
      await sql?.end();
      await db?.close();
    });

    /** A chain of `count` records; their ids by sequence. */
    const chainOf = async (count: number) => {
      const organizationId = newOrganizationId();
      for (let index = 0; index < count; index += 1)
        await db.audit.append(entry(organizationId, 'role.update', { index }));
      const records = await db.audit.readChain(organizationId, 0, count);
      return { organizationId, ids: records.map((record) => record.id) };
    };
    const findingOf = async (chainKey: string, key = AUDIT_TEST_KEY) => {
      const result = await verifyAuditLog(db.audit, createAuditSealer(key), { chainKeys: [chainKey] });
      return result.chains[0]?.finding;
    };

    it('names a record whose content was changed in the database', async () => {
      const { organizationId, ids } = await chainOf(3);
      expect(await findingOf(organizationId)).toBeUndefined();
      await sql.query(`UPDATE audit_records SET after = '{"index": 99}' WHERE id = $1`, [ids[1]]);
      expect(await findingOf(organizationId)).toEqual({
        chainKey: organizationId,
        kind: 'edited',
        recordId: ids[1],
        seq: 2,
        detail: 'its content does not match its hash',
      });
    });

    it('names the record after a deleted one, the newest deleted, and a removed hash', async () => {
      const middle = await chainOf(3);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [middle.ids[1]]);
      expect(await findingOf(middle.organizationId)).toMatchObject({
        kind: 'missing',
        recordId: middle.ids[2],
        seq: 3,
      });

      const tail = await chainOf(3);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [tail.ids[2]]);
      expect(await findingOf(tail.organizationId)).toMatchObject({ kind: 'tail_missing', seq: 3 });

      const unsealed = await chainOf(2);
      await sql.query('UPDATE audit_records SET hash = NULL WHERE id = $1', [unsealed.ids[0]]);
      expect(await findingOf(unsealed.organizationId)).toMatchObject({
        kind: 'edited',
        recordId: unsealed.ids[0],
      });
    });

    it('catches a head moved to hide a deletion, a deleted head, and a different key', async () => {
      const moved = await chainOf(3);
      const last = await db.audit.readChain(moved.organizationId, 1, 1);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [moved.ids[2]]);
      await sql.query('UPDATE audit_chains SET last_seq = 2, last_hash = $2 WHERE chain_key = $1', [
        moved.organizationId,
        last[0]?.hash,
      ]);
      expect(await findingOf(moved.organizationId)).toMatchObject({ kind: 'head_edited' });

      const headless = await chainOf(1);
      await sql.query('DELETE FROM audit_chains WHERE chain_key = $1', [headless.organizationId]);
      expect(await findingOf(headless.organizationId)).toMatchObject({
        kind: 'no_head',
        recordId: headless.ids[0],
      });

      const intact = await chainOf(1);
      expect(await findingOf(intact.organizationId, randomBytes(32))).toMatchObject({
        kind: 'edited',
        seq: 1,
      });
    });

    it('retention stops at a broken record instead of erasing it', async () => {
      const { organizationId, ids } = await chainOf(3);
      await sql.query(`UPDATE audit_records SET action = 'role.read' WHERE id = $1`, [ids[0]]);
      const future = new Date(Date.now() + 60_000);
      await expect(db.audit.pruneChain(organizationId, future, 10)).rejects.toBeInstanceOf(
        AuditChainBrokenError,
      );
      expect(await db.audit.readChain(organizationId, 0, 10)).toHaveLength(3);
    });

    it('keeps one organization’s chain gap-free and valid under many parallel writers', async () => {
      const organizationId = newOrganizationId();
      const single = Array.from({ length: 40 }, (_, index) =>
        db.audit.append(entry(organizationId, 'role.update', { index })),
      );
      const transactions = Array.from({ length: 10 }, (_, index) =>
        db.transaction(async (repos) => {
          await repos.audit.append(entry(organizationId, 'role.create', { index }));
          await repos.audit.appendMany([entry(organizationId), entry(null)]);
        }),
      );
      await Promise.all([...single, ...transactions]);
      const records = await db.audit.readChain(organizationId, 0, 1000);
      expect(records.map((record) => record.seq)).toEqual(
        Array.from({ length: 60 }, (_, index) => index + 1),
      );
      const result = await verifyAuditLog(db.audit, sealer, { chainKeys: [organizationId] });
      expect(result).toMatchObject({ intact: true, chains: [{ checked: 60, preChain: 0 }] });
    });

    it('keeps a chain gap-free when two processes that each know its head take turns and race', async () => {
      const organizationId = newOrganizationId();
      const other = await openDatabase({ url: database.url, dataDir: 'unused', auditKey: AUDIT_TEST_KEY });
      try {
        // Each writer learns the head from its own first (locked) append, then appends in one
        // statement while the head is as it left it; the other's writes and a transaction's
        // force it back to the lock.
        for (let round = 0; round < 5; round += 1) {
          await db.audit.append(entry(organizationId, 'role.update', { round, writer: 'a' }));
          await db.audit.append(entry(organizationId, 'role.update', { round, writer: 'a', again: true }));
          await other.audit.append(entry(organizationId, 'role.update', { round, writer: 'b' }));
          await Promise.all([
            db.audit.append(entry(organizationId, 'role.update', { round, writer: 'a', racing: true })),
            other.audit.append(entry(organizationId, 'role.update', { round, writer: 'b', racing: true })),
            db.transaction((repos) => repos.audit.append(entry(organizationId, 'role.create', { round }))),
          ]);
        }
      } finally {
        await other.close();
      }
      const records = await db.audit.readChain(organizationId, 0, 1000);
      expect(records.map((record) => record.seq)).toEqual(
        Array.from({ length: 30 }, (_, index) => index + 1),
      );
      const instants = records.map((record) => record.at.getTime());
      expect(instants).toEqual([...instants].sort((x, y) => x - y));
      const result = await verifyAuditLog(db.audit, sealer, { chainKeys: [organizationId] });
      expect(result).toMatchObject({ intact: true, chains: [{ checked: 30, preChain: 0 }] });
    });

    it('writes a round of many chains in one statement, and locks only a chain moved elsewhere', async () => {
      const connection = connectPostgres(database.url, { transactionTimeoutMs: 10_000, onError: () => {} });
      const statements: string[] = [];
      const appender = createChainAppender({
        sealer,
        query: (name, text, params) => {
          statements.push(name);
          return connection.query(name, text, params);
        },
        transaction: (work) => {
          statements.push('transaction');
          return connection.transaction(work);
        },
      });
      const other = await openDatabase({ url: database.url, dataDir: 'unused', auditKey: AUDIT_TEST_KEY });
      const chains = Array.from({ length: 6 }, () => newOrganizationId());
      const round = (label: string) =>
        appender.appendChains(
          new Map(chains.map((chain) => [chain, [entry(chain, 'token.issue', { label })]])),
        );
      try {
        // The first round takes every lock (no head is known yet), in one transaction.
        expect(await round('first')).toEqual(new Map());
        expect(statements).toEqual(['transaction']);
        statements.length = 0;
        expect(await round('second')).toEqual(new Map());
        expect(statements).toEqual(['audit_move_heads_if_unchanged']);
        // Another process appends to one chain: that chain alone goes back to its lock.
        await other.audit.append(entry(chains[2]!, 'role.update', { writer: 'other' }));
        statements.length = 0;
        expect(await round('third')).toEqual(new Map());
        expect(statements).toEqual(['audit_move_heads_if_unchanged', 'transaction']);
      } finally {
        await other.close();
        await connection.close();
      }
      const result = await verifyAuditLog(db.audit, sealer, { chainKeys: chains });
      expect(result.intact).toBe(true);
      for (const chain of chains) {
        const labels = (await db.audit.readChain(chain, 0, 10)).map(
          (record) => (record.after as { label?: string }).label,
        );
        expect(labels).toEqual(
          chain === chains[2] ? ['first', 'second', undefined, 'third'] : ['first', 'second', 'third'],
        );
      }
    });

    it('retention prunes the intact chains and reports the broken ones', async () => {
      const intact = newOrganizationId();
      await db.audit.append(entry(intact));
      const broken = await chainOf(2);
      await sql.query('DELETE FROM audit_records WHERE id = $1', [broken.ids[0]]);
      const result = await pruneAuditLog(db, new Date(Date.now() + 60_000), { type: 'cli', id: 'tester' });
      expect(result.chains).toContainEqual({ chainKey: intact, deleted: 1, prunedThroughSeq: 1 });
      expect(result.broken).toContainEqual(
        expect.objectContaining({
          chainKey: broken.organizationId,
          kind: 'missing',
          recordId: broken.ids[1],
        }),
      );
      expect(await db.audit.readChain(broken.organizationId, 0, 10)).toHaveLength(1);
    });
  });
});

describe('embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-audit-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeAuditChainContract('PGlite', async () => {
    const db = await openDatabase({ dataDir, auditKey: AUDIT_TEST_KEY });
    expect(await db.migrate(MIGRATIONS_DIR)).not.toEqual([]);
    return db;
  });
});
