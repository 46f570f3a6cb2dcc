import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openDatabase } from '../../src/data/database.js';
import { LOCKFILE_NAME } from '../../src/data/migrations/migration-files.js';
import { pgExecutor } from '../../src/data/migrations/pg-executor.js';
import { applyMigrations } from '../../src/data/migrations/runner.js';
import { createAuditSealer, PLATFORM_CHAIN } from '../../src/domain/audit/record-hash.js';
import { verifyAuditLog } from '../../src/domain/audit/verify-audit-log.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { AUDIT_TEST_KEY, entry } from './audit-chain-contract.js';

const CHAIN_MIGRATION = '20261130035335_audit_hash_chain';

/** Records written before the chain existed: the migration numbers them, verify counts them as pre-chain. */
describe('the audit hash chain migration on a database with records', () => {
  let database: ScratchDatabase;
  let before: string;
  beforeAll(async () => {
    database = await createScratchDatabase('gatehouse_audit_migration');
    before = await mkdtemp(join(tmpdir(), 'gatehouse-audit-migrations-'));
    await cp(join(MIGRATIONS_DIR, LOCKFILE_NAME), join(before, LOCKFILE_NAME));
    for (const name of (await readdir(MIGRATIONS_DIR)).filter(
      (entry) => entry < CHAIN_MIGRATION && /^\d/.test(entry),
    )) {
      await cp(join(MIGRATIONS_DIR, name), join(before, name), { recursive: true });
    }
  }, 60_000);
  afterAll(async () => {
    await rm(before, { recursive: true, force: true });
    await database.drop();
  });

  it('numbers the old records per chain, and the chain goes on from them', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await applyMigrations(pgExecutor(client), before);
      await client.query(
        `INSERT INTO audit_records (organization_id, actor_type, actor_id, action, target_type, target_id, after)
         VALUES ('org_a', 'cli', 'op', 'role.create', 'role', 'r1', '{"b": 1, "a": 2}'),
                (NULL, 'cli', 'op', 'organization.create', 'organization', 'org_a', NULL),
                ('org_a', 'cli', 'op', 'role.update', 'role', 'r1', NULL)`,
      );
      await applyMigrations(pgExecutor(client), MIGRATIONS_DIR);
      const { rows } = await client.query(
        'SELECT chain_key, seq::int AS seq, hash FROM audit_records ORDER BY id',
      );
      expect(rows).toEqual([
        { chain_key: 'org_a', seq: 1, hash: null },
        { chain_key: PLATFORM_CHAIN, seq: 1, hash: null },
        { chain_key: 'org_a', seq: 2, hash: null },
      ]);
    } finally {
      await client.end();
    }

    const db = await openDatabase({ url: database.url, dataDir: 'unused', auditKey: AUDIT_TEST_KEY });
    try {
      const sealer = createAuditSealer(AUDIT_TEST_KEY);
      expect(await verifyAuditLog(db.audit, sealer)).toEqual({
        intact: true,
        chains: [
          { chainKey: 'org_a', checked: 0, preChain: 2, prunedThroughSeq: 0, lastSeq: 2 },
          { chainKey: PLATFORM_CHAIN, checked: 0, preChain: 1, prunedThroughSeq: 0, lastSeq: 1 },
        ],
      });
      await db.audit.append(entry('org_a'));
      const [added] = await db.audit.readChain('org_a', 2, 1);
      expect(added).toMatchObject({ seq: 3, prevHash: null, hash: expect.any(String) });
      const after = await verifyAuditLog(db.audit, sealer, { chainKeys: ['org_a'] });
      expect(after).toMatchObject({ intact: true, chains: [{ checked: 1, preChain: 2, lastSeq: 3 }] });
    } finally {
      await db.close();
    }
  });
});
