import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import type { NewClient, NewUser } from '../../src/domain/ports/repositories.js';
import { openDuringSuite } from '../support/suite-database.js';

const newUser = (overrides: Partial<NewUser> = {}): NewUser => ({
  id: randomUUID(),
  email: `${randomUUID()}@example.test`,
  emailVerified: false,
  name: 'Ada Lovelace',
  passwordHash: null,
  managedBy: null,
  ...overrides,
});

const newClient = (overrides: Partial<NewClient> = {}): NewClient => ({
  id: `client-${randomUUID()}`,
  name: 'Billing',
  secretCiphertext: 'v1.iv.ct.tag',
  metadata: {
    redirect_uris: ['https://rp.example.test/cb'],
    grant_types: ['authorization_code', 'refresh_token'],
    nested: { pkce: true, ttl: 300, none: null },
  },
  organizationId: null,
  managedBy: null,
  ...overrides,
});

class Rollback extends Error {}

/** Repositories and transactions, asserted the same way on PostgreSQL and on PGlite. */
export function describeDatabaseContract(name: string, open: () => Promise<OpenedDatabase>): void {
  describe(`Database on ${name}`, () => {
    let db!: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    it('answers ping', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
    });

    it('creates, finds, updates, lists and deletes users', async () => {
      const owner = `config-${randomUUID()}`;
      const user = newUser({ managedBy: owner, passwordHash: '$argon2id$x' });
      const created = await db.users.create(user);
      expect(created).toMatchObject(user);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await db.users.findById(user.id)).toEqual(created);
      expect(await db.users.findByEmail(user.email)).toEqual(created);
      expect(await db.users.findById(randomUUID())).toBeUndefined();

      const updated = await db.users.update(user.id, { emailVerified: true, name: null });
      expect(updated).toMatchObject({ ...user, emailVerified: true, name: null });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

      await db.users.create(newUser({ managedBy: `other-${randomUUID()}` }));
      expect((await db.users.list({ managedBy: owner })).map((u) => u.id)).toEqual([user.id]);

      await db.users.delete(user.id);
      expect(await db.users.findById(user.id)).toBeUndefined();
      await expect(db.users.delete(user.id)).resolves.toBeUndefined();
    });

    it('refuses a second user with the same email', async () => {
      const user = newUser();
      await db.users.create(user);
      await expect(db.users.create(newUser({ email: user.email }))).rejects.toThrow();
    });

    it('upserts clients with their JSON metadata intact', async () => {
      const owner = `config-${randomUUID()}`;
      const client = newClient({ managedBy: owner });
      const created = await db.clients.upsert(client);
      expect(created).toMatchObject(client);
      expect((await db.clients.find(client.id))?.metadata).toEqual(client.metadata);

      const changed = { ...client, secretCiphertext: null, metadata: { redirect_uris: [] } };
      await db.clients.upsert(changed);
      const found = await db.clients.find(client.id);
      expect(found).toMatchObject(changed);
      expect(found?.createdAt).toEqual(created.createdAt);
      expect((await db.clients.list({ managedBy: owner })).map((c) => c.id)).toEqual([client.id]);

      await db.clients.delete(client.id);
      expect(await db.clients.find(client.id)).toBeUndefined();
    });

    it('stores signing keys and stamps state changes', async () => {
      const kid = `kid-${randomUUID()}`;
      const publicJwk = { kty: 'EC', crv: 'P-256', x: 'abc', y: 'def', use: 'sig' };
      await db.signingKeys.insert({
        kid,
        alg: 'ES256',
        state: 'next',
        publicJwk,
        privateJwkCt: 'ciphertext',
        activatedAt: null,
        deactivatedAt: null,
      });
      const mine = async () => (await db.signingKeys.list()).find((key) => key.kid === kid);
      expect(await mine()).toMatchObject({ kid, state: 'next', publicJwk, activatedAt: null });

      const activated = new Date('2031-01-01T00:00:00.000Z');
      await db.signingKeys.setState(kid, 'current', activated);
      expect((await db.signingKeys.list(['current'])).map((k) => k.kid)).toContain(kid);
      expect((await db.signingKeys.list(['next'])).map((k) => k.kid)).not.toContain(kid);
      expect((await mine())?.activatedAt).toEqual(activated);

      const retired = new Date('2031-02-01T00:00:00.000Z');
      await db.signingKeys.setState(kid, 'previous', retired);
      await db.signingKeys.setState(kid, 'retired', new Date('2031-03-01T00:00:00.000Z'));
      expect(await mine()).toMatchObject({
        state: 'retired',
        activatedAt: activated,
        deactivatedAt: retired,
      });
      await expect(db.signingKeys.setState(`kid-${randomUUID()}`, 'current', activated)).rejects.toThrow(
        /does not exist/,
      );
    });

    it('commits everything a transaction wrote', async () => {
      const user = newUser();
      const client = newClient();
      const result = await db.transaction(async (repos) => {
        await repos.users.create(user);
        await repos.clients.upsert(client);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await db.users.findById(user.id)).toBeDefined();
      expect(await db.clients.find(client.id)).toBeDefined();
    });

    it('writes nothing when the transaction throws', async () => {
      const user = newUser();
      const client = newClient();
      await expect(
        db.transaction(async (repos) => {
          await repos.users.create(user);
          await repos.clients.upsert(client);
          // Visible inside the transaction...
          expect(await repos.users.findById(user.id)).toBeDefined();
          throw new Rollback('changed my mind');
        }),
      ).rejects.toThrow(Rollback);
      // ...and gone outside it.
      expect(await db.users.findById(user.id)).toBeUndefined();
      expect(await db.clients.find(client.id)).toBeUndefined();
    });

    it('withLock runs holders of the same name one after another', async () => {
      const name = `lock-${randomUUID()}`;
      const events: string[] = [];
      const holder = (label: string) =>
        db.withLock(name, async (repos) => {
          events.push(`${label}:start`);
          await new Promise((resolve) => setTimeout(resolve, 150));
          await repos.users.findById(randomUUID());
          events.push(`${label}:end`);
          return label;
        });
      expect(await Promise.all([holder('a'), holder('b')])).toEqual(['a', 'b']);
      // Either may go first; what matters is that they never overlap.
      const first = events[0]?.split(':')[0];
      const second = first === 'a' ? 'b' : 'a';
      expect(events).toEqual([`${first}:start`, `${first}:end`, `${second}:start`, `${second}:end`]);
    });

    it('withLock rolls back like a transaction', async () => {
      const user = newUser();
      await expect(
        db.withLock('rollback-test', async (repos) => {
          await repos.users.create(user);
          throw new Rollback('no');
        }),
      ).rejects.toThrow(Rollback);
      expect(await db.users.findById(user.id)).toBeUndefined();
    });
  });
}
