import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import type { NewIdentity, NewRoutingRule } from '../../src/domain/ports/federation.js';
import { createStoredUser } from '../support/stored-user.js';
import { openDuringSuite } from '../support/suite-database.js';
import { createStoredOrganization } from '../support/stored-organization.js';

const newIdentity = (
  userId: string,
  connectionId: string,
  overrides: Partial<NewIdentity> = {},
): NewIdentity => ({
  id: `idn_${randomUUID()}`,
  userId,
  connectionId,
  subject: `sub-${randomUUID()}`,
  attributes: { department: 'Hull', groups: ['Underwriters', 'Claims'], level: 3, active: true },
  ...overrides,
});

/** Routing rules and linked upstream identities: same on PostgreSQL and PGlite. */
export function describeFederationContract(name: string, open: () => Promise<OpenedDatabase>): void {
  describe(`federation data on ${name}`, () => {
    let db!: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    async function organizationWithConnections(...keys: string[]) {
      const organization = await createStoredOrganization(db, { name: 'Maritime' });
      const connections = [];
      for (const key of keys) {
        connections.push(
          await db.connections.create({
            id: `con_${randomUUID()}`,
            organizationId: organization.id,
            key,
            type: 'saml',
            preset: null,
            enabled: true,
            settings: {},
            attributeMap: {},
            secretCiphertext: null,
            managedBy: null,
          }),
        );
      }
      return { organization, connections };
    }

    const newUser = () => createStoredUser(db);

    describe('identities', () => {
      it('creates and finds by connection and subject, round-tripping the attributes', async () => {
        const { connections } = await organizationWithConnections('azure');
        const user = await newUser();
        const identity = newIdentity(user.id, connections[0]!.id);
        const created = await db.identities.create(identity);
        expect(created).toMatchObject(identity);
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.lastLoginAt).toBeInstanceOf(Date);
        expect(await db.identities.find(identity.connectionId, identity.subject)).toEqual(created);
        expect(await db.identities.find(identity.connectionId, `${identity.subject}x`)).toBeUndefined();
        expect(await db.identities.find(`con_${randomUUID()}`, identity.subject)).toBeUndefined();
      });

      it('compares subjects exactly (case and spacing matter)', async () => {
        const { connections } = await organizationWithConnections('azure');
        const user = await newUser();
        const identity = await db.identities.create(
          newIdentity(user.id, connections[0]!.id, { subject: 'AbC' }),
        );
        expect(await db.identities.find(identity.connectionId, 'abc')).toBeUndefined();
        expect(await db.identities.find(identity.connectionId, 'AbC ')).toBeUndefined();
      });

      it('refuses a second link of the same subject on a connection, not on another connection', async () => {
        const { connections } = await organizationWithConnections('azure', 'okta');
        const [azure, okta] = [connections[0]!, connections[1]!];
        const [first, second] = [await newUser(), await newUser()];
        const identity = await db.identities.create(newIdentity(first.id, azure.id));
        const again = db.identities.create(newIdentity(second.id, azure.id, { subject: identity.subject }));
        await expect(again).rejects.toEqual(expect.objectContaining({ code: 'identity_exists' }));
        await expect(again).rejects.toBeInstanceOf(ConflictError);
        const elsewhere = await db.identities.create(
          newIdentity(second.id, okta.id, { subject: identity.subject }),
        );
        expect(elsewhere.userId).toBe(second.id);
      });

      it('takes the given last sign-in time, and touch records a sign-in', async () => {
        const { connections } = await organizationWithConnections('azure');
        const user = await newUser();
        const firstLogin = new Date('2026-01-02T03:04:05.000Z');
        const created = await db.identities.create(
          newIdentity(user.id, connections[0]!.id, { lastLoginAt: firstLogin }),
        );
        expect(created.lastLoginAt).toEqual(firstLogin);
        const later = new Date('2026-02-03T04:05:06.000Z');
        const touched = await db.identities.touch(created.id, { department: 'Cargo' }, later);
        expect(touched).toEqual({ ...created, attributes: { department: 'Cargo' }, lastLoginAt: later });
        expect(await db.identities.find(created.connectionId, created.subject)).toEqual(touched);
        await expect(db.identities.touch(`idn_${randomUUID()}`, {}, later)).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it("lists a user's identities oldest first and goes with the user or the connection", async () => {
        const { connections } = await organizationWithConnections('azure', 'okta');
        const user = await newUser();
        const azure = await db.identities.create(newIdentity(user.id, connections[0]!.id));
        const okta = await db.identities.create(newIdentity(user.id, connections[1]!.id));
        expect((await db.identities.listForUser(user.id)).map((row) => row.id)).toEqual([azure.id, okta.id]);
        expect(await db.identities.listForUser(`usr_${randomUUID()}`)).toEqual([]);

        await db.connections.delete(connections[0]!.id);
        expect((await db.identities.listForUser(user.id)).map((row) => row.id)).toEqual([okta.id]);
        await db.users.delete(user.id);
        expect(await db.identities.find(okta.connectionId, okta.subject)).toBeUndefined();
      });

      it('writes nothing when the transaction fails after the link', async () => {
        const { connections } = await organizationWithConnections('azure');
        const user = await newUser();
        const identity = newIdentity(user.id, connections[0]!.id);
        const failed = db.transaction(async (repos) => {
          await repos.identities.create(identity);
          expect(await repos.identities.find(identity.connectionId, identity.subject)).toBeDefined();
          throw new Error('boom');
        });
        await expect(failed).rejects.toThrow('boom');
        expect(await db.identities.find(identity.connectionId, identity.subject)).toBeUndefined();
      });
    });

    describe('rule roles on memberships', () => {
      it('creates and updates the roles SSO role rules gave, apart from the others', async () => {
        const { organization } = await organizationWithConnections();
        const user = await newUser();
        const membership = await db.memberships.create({
          id: `mem_${randomUUID()}`,
          userId: user.id,
          organizationId: organization.id,
          status: 'active',
          roles: ['member', 'hull'],
          ruleRoles: ['hull'],
        });
        expect(membership.ruleRoles).toEqual(['hull']);
        const updated = await db.memberships.update(membership.id, {
          roles: ['member', 'cargo'],
          ruleRoles: ['cargo'],
        });
        expect(updated).toMatchObject({ roles: ['member', 'cargo'], ruleRoles: ['cargo'] });
        expect(await db.memberships.update(membership.id, { status: 'pending' })).toMatchObject({
          roles: ['member', 'cargo'],
          ruleRoles: ['cargo'],
        });
      });
    });

    describe('routing rules', () => {
      const rules = (connectionId: string, ...domains: string[]): NewRoutingRule[] =>
        domains.map((domain, index) => ({ domain, connectionId, priority: domains.length - index }));

      it('replaces the whole list, keeping declaration order as positions', async () => {
        const { organization, connections } = await organizationWithConnections('azure', 'okta');
        const [azure, okta] = [connections[0]!.id, connections[1]!.id];
        const written = await db.routingRules.replace(organization.id, [
          ...rules(azure, 'underwriters.example'),
          ...rules(okta, '*.uw.example', 'brokers.example'),
        ]);
        expect(
          written.map(({ domain, connectionId, priority, position }) => ({
            domain,
            connectionId,
            priority,
            position,
          })),
        ).toEqual([
          { domain: 'underwriters.example', connectionId: azure, priority: 1, position: 0 },
          { domain: '*.uw.example', connectionId: okta, priority: 2, position: 1 },
          { domain: 'brokers.example', connectionId: okta, priority: 1, position: 2 },
        ]);
        expect(written.every((rule) => rule.organizationId === organization.id && rule.id !== '')).toBe(true);
        expect(await db.routingRules.listFor(organization.id)).toEqual(written);

        const again = await db.routingRules.replace(organization.id, rules(okta, 'b.example', 'a.example'));
        expect(again.map((rule) => [rule.domain, rule.position])).toEqual([
          ['b.example', 0],
          ['a.example', 1],
        ]);
        expect(await db.routingRules.replace(organization.id, [])).toEqual([]);
        expect(await db.routingRules.listFor(organization.id)).toEqual([]);
      });

      it('lists several organizations at once, each in declaration order', async () => {
        const first = await organizationWithConnections('azure');
        const second = await organizationWithConnections('okta');
        const other = await organizationWithConnections('okta');
        const a = await db.routingRules.replace(
          first.organization.id,
          rules(first.connections[0]!.id, 'z.example', 'y.example'),
        );
        const b = await db.routingRules.replace(
          second.organization.id,
          rules(second.connections[0]!.id, 'x.example'),
        );
        await db.routingRules.replace(other.organization.id, rules(other.connections[0]!.id, 'w.example'));

        const many = await db.routingRules.listForMany([second.organization.id, first.organization.id]);
        const byOrganization = [a, b].sort((x, y) => (x[0]!.organizationId < y[0]!.organizationId ? -1 : 1));
        expect(many).toEqual(byOrganization.flat());
        expect(await db.routingRules.listForMany([])).toEqual([]);
        expect(await db.routingRules.listForMany([`org_${randomUUID()}`])).toEqual([]);
      });

      it('works as a detached method (no reliance on `this`)', async () => {
        const { organization, connections } = await organizationWithConnections('azure');
        const { replace } = db.routingRules;
        const written = await replace(organization.id, rules(connections[0]!.id, 'detached.example'));
        expect(written.map((rule) => rule.domain)).toEqual(['detached.example']);
      });

      it('keeps the old list when the transaction replacing it fails', async () => {
        const { organization, connections } = await organizationWithConnections('azure');
        const before = await db.routingRules.replace(
          organization.id,
          rules(connections[0]!.id, 'kept.example'),
        );
        const failed = db.transaction(async (repos) => {
          await repos.routingRules.replace(organization.id, rules(connections[0]!.id, 'lost.example'));
          throw new Error('boom');
        });
        await expect(failed).rejects.toThrow('boom');
        expect(await db.routingRules.listFor(organization.id)).toEqual(before);
      });

      it('refuses a rule naming a connection that does not exist, writing nothing', async () => {
        const { organization, connections } = await organizationWithConnections('azure');
        const before = await db.routingRules.replace(
          organization.id,
          rules(connections[0]!.id, 'kept.example'),
        );
        const dangling = rules(`con_${randomUUID()}`, 'x.example');
        const failed = db.transaction((repos) => repos.routingRules.replace(organization.id, dangling));
        await expect(failed).rejects.toBeInstanceOf(Error);
        expect(await db.routingRules.listFor(organization.id)).toEqual(before);
      });

      it('goes with the organization', async () => {
        const { organization, connections } = await organizationWithConnections('azure');
        await db.routingRules.replace(organization.id, rules(connections[0]!.id, 'gone.example'));
        await db.organizations.delete(organization.id);
        expect(await db.routingRules.listFor(organization.id)).toEqual([]);
      });
    });
  });
}
