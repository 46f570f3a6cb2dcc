import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { createLocalAccounts } from '../../../src/domain/accounts/local-accounts.js';
import { createClientCatalog, clientRecordFrom } from '../../../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../../../src/domain/clients/client-definition.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import type { Database, Repositories } from '../../../src/domain/ports/repositories.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const APP_SECRET = `app-secret-${randomBytes(16).toString('hex')}`;
const ROTATED_SECRET = `rotated-secret-${randomBytes(16).toString('hex')}`;
const ADMIN_PASSWORD = `admin-password-${randomBytes(8).toString('hex')}`;

const FILE = `version: 1
clients:
  - client_id: config-app
    name: Config app
    client_secret: \${APP_SECRET}
    redirect_uris: ["https://app.example.test/callback"]
  - client_id: config-spa
    redirect_uris: ["https://spa.example.test/callback"]
users:
  - email: Admin@Config.test
    password: \${ADMIN_PASSWORD}
    name: Config Admin
  - email: nopass@config.test
`;

const deps: ConfigDeps = { envelope: createEnvelope(randomBytes(32)), hasher: createArgon2Hasher() };
const desired = (text: string, env: Record<string, string> = {}) =>
  parseConfigText(text, 'gatehouse.yaml', { APP_SECRET, ADMIN_PASSWORD, ...env });

/** Counts writes so "idempotent" means zero writes, not merely the same end state. */
function countingWrites(db: Database): { db: Database; writes: () => number } {
  let count = 0;
  const counted = <T extends object>(repo: T, methods: (keyof T)[]): T => {
    const copy = { ...repo };
    for (const method of methods) {
      const original = repo[method] as (...args: unknown[]) => unknown;
      (copy as Record<keyof T, unknown>)[method] = (...args: unknown[]) => ((count += 1), original(...args));
    }
    return copy;
  };
  const wrap = (repos: Repositories): Repositories => ({
    ...repos,
    users: counted(repos.users, ['create', 'update', 'delete']),
    clients: counted(repos.clients, ['upsert', 'delete']),
  });
  const wrapped: Database = {
    ...db,
    withLock: (name, work) => db.withLock(name, (repos) => work(wrap(repos))),
  };
  return { db: wrapped, writes: () => count };
}

/** A database whose writes fail once `failAfter` writes succeeded within the apply transaction. */
function failingMidway(db: Database, failAfter: number): Database {
  return {
    ...db,
    withLock: (name, work) =>
      db.withLock(name, (repos) => {
        let writes = 0;
        const guard =
          <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
          (...args: A): Promise<R> =>
            ++writes > failAfter ? Promise.reject(new Error('disk on fire')) : write(...args);
        return work({
          ...repos,
          users: {
            ...repos.users,
            create: guard(repos.users.create),
            update: guard(repos.users.update),
            delete: guard(repos.users.delete),
          },
          clients: {
            ...repos.clients,
            upsert: guard(repos.clients.upsert),
            delete: guard(repos.clients.delete),
          },
        });
      }),
  };
}

describe('declarative config apply (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;

  beforeAll(async () => {
    // Apply deletes every config-owned row missing from the file: it needs a database of its own.
    scratch = await createScratchDatabase('gatehouse_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const snapshot = async () => ({
    clients: (await db.clients.list()).map(({ id, name, secretCiphertext, metadata, managedBy }) => ({
      id,
      name,
      secretCiphertext,
      metadata,
      managedBy,
    })),
    users: (await db.users.list()).map(({ id, email, name, passwordHash, managedBy }) => ({
      id,
      email,
      name,
      passwordHash,
      managedBy,
    })),
  });

  it('creates what the file declares, then a second apply writes nothing', async () => {
    const first = await applyConfig(db, desired(FILE), deps);
    expect(first.summary).toEqual({ create: 4, update: 0, delete: 0, unchanged: 0 });
    const client = await createClientCatalog(db.clients, deps.envelope).providerMetadata('config-app');
    expect(client).toMatchObject({
      client_secret: APP_SECRET,
      client_name: 'Config app',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const admin = await createLocalAccounts(db.users, deps.hasher).authenticate(
      'admin@config.test',
      ADMIN_PASSWORD,
    );
    expect(admin).toMatchObject({ name: 'Config Admin', managedBy: 'config' });
    expect((await db.users.findByEmail('nopass@config.test'))?.passwordHash).toBeNull();

    const counting = countingWrites(db);
    const second = await applyConfig(counting.db, desired(FILE), deps);
    expect(second.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 4 });
    expect(counting.writes()).toBe(0);
  });

  it('updates a changed secret and password, naming only the fields', async () => {
    const entries = await planConfig(
      db,
      desired(FILE, { APP_SECRET: ROTATED_SECRET, ADMIN_PASSWORD: 'a brand new password' }),
      deps,
    );
    expect(entries.filter((entry) => entry.action !== 'unchanged')).toEqual([
      { kind: 'client', id: 'config-app', action: 'update', changes: ['client_secret'] },
      { kind: 'user', id: 'admin@config.test', action: 'update', changes: ['password'] },
    ]);
    await applyConfig(
      db,
      desired(FILE, { APP_SECRET: ROTATED_SECRET, ADMIN_PASSWORD: 'a brand new password' }),
      deps,
    );
    expect(
      (await createClientCatalog(db.clients, deps.envelope).providerMetadata('config-app'))?.client_secret,
    ).toBe(ROTATED_SECRET);
    expect(
      await createLocalAccounts(db.users, deps.hasher).authenticate(
        'admin@config.test',
        'a brand new password',
      ),
    ).toBeDefined();
    await applyConfig(db, desired(FILE), deps);
  });

  it('records each write in the audit log, naming the file and holding no secret', async () => {
    const renamed = FILE.replace('Config Admin', 'Audited Admin');
    await applyConfig(db, desired(renamed), { ...deps, source: '/etc/gatehouse/gatehouse.yaml' });
    const records = await db.audit.list({ targetType: 'user', action: 'user.update' }, { limit: 100 });
    expect(records.at(-1)).toMatchObject({
      actor: { type: 'config', id: '/etc/gatehouse/gatehouse.yaml' },
      before: { email: 'admin@config.test', name: 'Config Admin', passwordSet: true },
      after: { email: 'admin@config.test', name: 'Audited Admin', passwordSet: true },
    });
    await applyConfig(db, desired(FILE), deps);
    const all = await db.audit.list({}, { limit: 1000 });
    expect(all.filter((record) => record.targetType === 'client').length).toBeGreaterThan(0);
    const stored = (await db.users.findByEmail('admin@config.test'))?.passwordHash ?? 'no hash';
    const text = JSON.stringify(all);
    for (const secret of [APP_SECRET, ADMIN_PASSWORD, stored, 'v1.']) expect(text).not.toContain(secret);
  });

  it('never puts a secret, password or hash in the plan', async () => {
    const entries = await planConfig(
      db,
      desired(FILE, { APP_SECRET: ROTATED_SECRET, ADMIN_PASSWORD: 'another new password' }),
      deps,
    );
    const text = JSON.stringify(entries);
    const stored = (await db.users.findByEmail('admin@config.test'))?.passwordHash ?? 'no hash';
    for (const secret of [
      APP_SECRET,
      ROTATED_SECRET,
      ADMIN_PASSWORD,
      'another new password',
      stored,
      'v1.',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('deletes config-owned entries removed from the file and leaves other rows alone', async () => {
    const handMade = clientDefinitionSchema.parse({
      client_id: 'hand-made',
      redirect_uris: ['https://hand.example.test/cb'],
    });
    await db.clients.upsert(clientRecordFrom(handMade, deps.envelope, 'api'));
    const smaller = FILE.split('  - client_id: config-spa')[0] + 'users: []\n';
    const result = await applyConfig(db, desired(smaller), deps);
    expect(
      result.entries
        .filter((entry) => entry.action === 'delete')
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(['admin@config.test', 'config-spa', 'nopass@config.test']);
    expect(await db.clients.find('config-spa')).toBeUndefined();
    expect((await db.clients.find('hand-made'))?.managedBy).toBe('api');
    await applyConfig(db, desired(FILE), deps);
  });

  it('takes over a row another owner created when the file names it', async () => {
    const demo = clientDefinitionSchema.parse({
      client_id: 'taken-over',
      redirect_uris: ['https://demo.example.test/cb'],
    });
    await db.clients.upsert(clientRecordFrom(demo, deps.envelope, 'demo'));
    await createLocalAccounts(db.users, deps.hasher).create({ email: 'legacy@config.test', name: 'Legacy' });
    const withTakeOver = `${FILE}  - email: legacy@config.test\n    name: Legacy\n`.replace(
      'clients:\n',
      'clients:\n  - client_id: taken-over\n    redirect_uris: ["https://demo.example.test/cb"]\n',
    );
    const entries = await planConfig(db, desired(withTakeOver), deps);
    expect(entries.filter((entry) => entry.action !== 'unchanged')).toEqual([
      { kind: 'client', id: 'taken-over', action: 'update', changes: ['managed_by'] },
      { kind: 'user', id: 'legacy@config.test', action: 'update', changes: ['managed_by'] },
    ]);
    await applyConfig(db, desired(withTakeOver), deps);
    expect((await db.clients.find('taken-over'))?.managedBy).toBe('config');
    expect((await db.users.findByEmail('legacy@config.test'))?.managedBy).toBe('config');
    await applyConfig(db, desired(FILE), deps);
    expect(await db.clients.find('taken-over')).toBeUndefined();
  });

  it('writes nothing when a write fails midway through the apply', async () => {
    const before = await snapshot();
    const changed = `${FILE}  - email: third@config.test\n    password: third-password\n`.replace(
      'Config app',
      'Renamed app',
    );
    await expect(applyConfig(failingMidway(db, 1), desired(changed), deps)).rejects.toThrow('disk on fire');
    expect(await snapshot()).toEqual(before);
  });

  it('stores a given argon2id hash as is and then treats it as unchanged', async () => {
    const hash = await deps.hasher.hash('hashed elsewhere');
    const file = `${FILE}  - email: hashed@config.test\n    password_hash: "${hash}"\n`;
    expect((await applyConfig(db, desired(file), deps)).summary.create).toBe(1);
    expect((await db.users.findByEmail('hashed@config.test'))?.passwordHash).toBe(hash);
    expect((await applyConfig(db, desired(file), deps)).summary).toMatchObject({
      create: 0,
      update: 0,
      delete: 0,
    });
    await applyConfig(db, desired(FILE), deps);
  });
});
