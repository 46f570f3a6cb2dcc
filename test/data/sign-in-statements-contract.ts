import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import { withRequestScope } from '../../src/lib/request-scope.js';
import { createStoredMembership, createStoredUser } from '../support/stored-user.js';
import { openDuringSuite } from '../support/suite-database.js';
import { createStoredOrganization } from '../support/stored-organization.js';

/**
 * What every sign-in reads and writes outside Prisma (src/data/sql/prepared-repositories.ts),
 * compared with the Prisma repositories (a transaction's): the same rows, the same instants, on
 * PostgreSQL and on PGlite.
 */
export function describeSignInStatementsContract(name: string, open: () => Promise<OpenedDatabase>): void {
  describe(`sign-in statements on ${name}`, () => {
    let db!: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    const organizationWithConnection = async () => {
      const organization = await createStoredOrganization(db);
      const connection = await db.connections.create({
        id: `con_${randomUUID()}`,
        organizationId: organization.id,
        key: 'okta',
        type: 'oidc',
        preset: 'okta',
        enabled: true,
        settings: { issuer: 'https://idp.example.test', client_id: 'gatehouse', scopes: ['openid'] },
        attributeMap: { department: 'business_unit' },
        secretCiphertext: 'v1.iv.ct.tag',
        managedBy: null,
      });
      return { organization, connection };
    };

    /** A user who is an active member (role `member`) of a new organization. */
    const memberOfNewOrganization = async () => {
      const { organization } = await organizationWithConnection();
      const user = await createStoredUser(db);
      const membership = await createStoredMembership(db, user.id, organization.id, { roles: ['member'] });
      return { organization, user, membership };
    };

    /** A grant id bound to the organization for the user (an RP's sign-in to it). */
    const grantFor = async (organizationId: string, userId: string) => {
      const grantId = randomUUID();
      await db.grantOrganizations.bind({ grantId, organizationId, userId, clientId: 'rp' });
      return grantId;
    };

    it('answers an organization and its chain from one walk up the tree within a request', async () => {
      const { organization: parent } = await organizationWithConnection();
      const child = await createStoredOrganization(db, { parentId: parent.id });
      const outside = await Promise.all([
        db.organizations.findBySlug(child.slug),
        db.organizations.find(child.id),
        db.organizations.chain(child.id),
      ]);
      expect(outside[2].map((organization) => organization.id)).toEqual([child.id, parent.id]);
      await withRequestScope(async () => {
        const bySlug = await db.organizations.findBySlug(child.slug);
        expect(bySlug).toEqual(outside[0]);
        const chain = await db.organizations.chain(child.id);
        expect(chain).toEqual(outside[2]);
        // The chain came with the organization: the same objects, not a second read.
        expect(chain[0]).toBe(bySlug);
        expect(await db.organizations.find(child.id)).toBe(bySlug);
        expect(await db.organizations.find(parent.id)).toEqual(outside[2][1]);
        expect(await db.organizations.findBySlug(`org-${randomUUID()}`)).toBeUndefined();
        expect(await db.organizations.find(`org_${randomUUID()}`)).toBeUndefined();
      });
    });

    it("takes an organization's chain, within a request, from the access read that walked it", async () => {
      const { organization: parent } = await organizationWithConnection();
      const child = await createStoredOrganization(db, {
        parentId: parent.id,
        metadata: { tier: 'gold', nested: { none: null } },
      });
      const user = await createStoredUser(db);
      const grantId = await grantFor(child.id, user.id);
      const chain = await db.organizations.chain(child.id);
      await withRequestScope(async () => {
        expect((await db.access.forGrant(grantId))?.chain.map((link) => link.id)).toEqual([
          child.id,
          parent.id,
        ]);
        // Renamed after the access read: this request keeps the chain that read walked.
        await db.organizations.update(child.id, { name: 'Renamed' });
        expect(await db.organizations.chain(child.id)).toEqual(chain);
      });
      expect((await db.organizations.chain(child.id))[0]?.name).toBe('Renamed');
      await withRequestScope(async () => {
        await db.access.forUser(child.slug, user.id);
        expect((await db.organizations.chain(child.id))[0]).toEqual({
          ...chain[0],
          name: 'Renamed',
          updatedAt: expect.any(Date),
        });
      });
    });

    it('takes the user, within a request, from the access read, and reads it afresh after any write to it', async () => {
      const { organization } = await organizationWithConnection();
      const user = await db.users.update((await createStoredUser(db)).id, {
        name: 'Ada',
        emailVerified: true,
        profile: { given_name: 'Ada', department: 'Hull' },
      });
      const grantId = await grantFor(organization.id, user.id);
      await withRequestScope(async () => {
        await db.access.forGrant(grantId);
        // Written by another request after this one's access read: this one keeps what it read.
        await withRequestScope(() => db.users.update(user.id, { name: 'Grace' }));
        expect(await db.users.findById(user.id)).toEqual(user);
        await db.transaction((repos) => repos.users.update(user.id, { name: 'Hedy' }));
        expect((await db.users.findById(user.id))?.name).toBe('Hedy');
        await db.users.update(user.id, { name: 'Joan' });
        expect((await db.users.findById(user.id))?.name).toBe('Joan');
      });
      await withRequestScope(async () => {
        await db.access.forUser(organization.slug, user.id);
        expect(await db.users.findById(user.id)).toEqual({
          ...user,
          name: 'Joan',
          updatedAt: expect.any(Date),
        });
      });
    });

    it('takes the user of a grant that speaks for no organization from the access read too', async () => {
      const user = await db.users.update((await createStoredUser(db)).id, { name: 'Ada' });
      const grantId = randomUUID();
      await db.payloadStore().upsert('Grant', grantId, { accountId: user.id, clientId: 'rp' }, 60);
      await withRequestScope(async () => {
        // Not an organization's grant: no access, but the user came along.
        expect(await db.access.forGrant(grantId)).toBeUndefined();
        await withRequestScope(() => db.users.update(user.id, { name: 'Grace' }));
        expect(await db.users.findById(user.id)).toEqual(user);
      });
      // A grant that is not stored at all has neither.
      await withRequestScope(async () => {
        expect(await db.access.forGrant(randomUUID())).toBeUndefined();
        expect((await db.users.findById(user.id))?.name).toBe('Grace');
      });
    });

    it('reads a refresh token or a code’s grant with the grant’s access, which the next access read takes once', async () => {
      const { organization, user, membership } = await memberOfNewOrganization();
      const grantId = await grantFor(organization.id, user.id);
      const tokens = db.payloadStore();
      await tokens.upsert('Grant', grantId, { accountId: user.id, clientId: 'rp' }, 60);
      const token = randomUUID();
      await tokens.upsert('RefreshToken', token, { grantId, accountId: user.id }, 60);
      const access = await db.access.forGrant(grantId);
      expect(access).toMatchObject({ userId: user.id, membership: { roles: ['member'] } });
      await withRequestScope(async () => {
        expect(await tokens.findWithGrant!('RefreshToken', token)).toEqual({
          payload: { grantId, accountId: user.id },
          grant: { accountId: user.id, clientId: 'rp' },
        });
        // Changed by another request after this one's read: the first access read takes what
        // came with the token, the next reads afresh.
        await db.memberships.update(membership.id, { roles: ['owner'] });
        expect(await db.access.forGrant(grantId)).toEqual(access);
        expect(await db.access.forGrant(grantId)).toMatchObject({ membership: { roles: ['owner'] } });
      });
      // A code's grant (the code is kept in Redis) is read ahead the same way.
      const owner = await db.access.forGrant(grantId);
      await withRequestScope(async () => {
        expect(await tokens.findGrantAhead!(grantId)).toEqual({ accountId: user.id, clientId: 'rp' });
        await db.memberships.update(membership.id, { roles: ['member'] });
        expect(await db.access.forGrant(grantId)).toEqual(owner);
        expect(await db.access.forGrant(grantId)).toMatchObject({ membership: { roles: ['member'] } });
      });
      expect(await tokens.findGrantAhead!(randomUUID())).toBeUndefined();
    });

    it('hands the access a check read ahead to the next read of it in the request, once', async () => {
      const { organization, user, membership } = await memberOfNewOrganization();
      await withRequestScope(async () => {
        const ahead = await db.access.forUserAhead(organization.slug, user.id);
        expect(ahead).toMatchObject({ chain: [{ id: organization.id }], membership: { roles: ['member'] } });
        // Changed by another request meanwhile: the next read with the same arguments takes what
        // was read ahead, the one after reads afresh.
        await db.memberships.update(membership.id, { roles: ['owner'] });
        expect(await db.access.forUser(organization.slug, user.id)).toEqual(ahead);
        expect(await db.access.forUser(organization.slug, user.id)).toMatchObject({
          membership: { roles: ['owner'] },
        });
      });
    });

    it('reads a connection by id as the repository does, once per request until it is written', async () => {
      const { connection } = await organizationWithConnection();
      expect(await db.connections.findById(connection.id)).toEqual(connection);
      expect(await db.connections.findById(`con_${randomUUID()}`)).toBeUndefined();
      await withRequestScope(async () => {
        const first = await db.connections.findById(connection.id);
        expect(await db.connections.findById(connection.id)).toBe(first);
        const updated = await db.connections.update(connection.id, { enabled: false });
        expect(await db.connections.findById(connection.id)).toEqual(updated);
        await db.connections.delete(connection.id);
        expect(await db.connections.findById(connection.id)).toBeUndefined();
      });
    });

    it("reads an organization's domains, connections, routing rules and roles as the Prisma repositories do", async () => {
      const { organization, connection } = await organizationWithConnection();
      const { id } = organization;
      await db.domains.create({
        id: randomUUID(),
        organizationId: id,
        domain: `${randomUUID()}.example.test`,
        verificationToken: 'token',
        verifiedAt: new Date('2026-11-30T08:00:00.789Z'),
        verificationMethod: 'operator',
        lastCheckedAt: null,
        managedBy: null,
      });
      await db.routingRules.replace(id, [
        { domain: '*.example.test', connectionId: connection.id, priority: 1 },
      ]);
      await db.roles.create({
        id: randomUUID(),
        organizationId: id,
        name: 'engineering',
        description: 'Builds',
        permissions: ['deploy', 'read'],
        admin: false,
        overridable: true,
      });
      const prepared = await Promise.all([
        db.domains.listFor(id),
        db.connections.listFor(id),
        db.routingRules.listForMany([id]),
        db.roles.listFor([id]),
      ]);
      // A transaction's repositories are Prisma's.
      const throughPrisma = await db.transaction((repos) =>
        Promise.all([
          repos.domains.listFor(id),
          repos.connections.listFor(id),
          repos.routingRules.listForMany([id]),
          repos.roles.listFor([id]),
        ]),
      );
      expect(prepared).toEqual(throughPrisma);
      expect(prepared.map((rows) => rows.length)).toEqual([1, 1, 1, 1]);
    });

    it("reads a user by email, an identity by subject and a user's memberships as the Prisma repositories do", async () => {
      const { organization, connection } = await organizationWithConnection();
      const user = await db.users.create({
        id: randomUUID(),
        email: `${randomUUID()}@example.test`,
        emailVerified: true,
        name: 'Grace',
        profile: { locale: 'en-GB' },
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        managedBy: null,
      });
      await db.identities.create({
        id: `idn_${randomUUID()}`,
        userId: user.id,
        connectionId: connection.id,
        subject: 'subject-1',
        attributes: { department: 'Engineering' },
        lastLoginAt: new Date('2026-11-30T07:00:00.321Z'),
      });
      await createStoredMembership(db, user.id, organization.id, {
        roles: ['member', 'engineering'],
        ruleRoles: ['engineering'],
      });
      const reads = (repos: Pick<OpenedDatabase, 'users' | 'identities' | 'memberships'>) =>
        Promise.all([
          repos.users.findByEmail(user.email),
          repos.identities.find(connection.id, 'subject-1'),
          repos.memberships.find(user.id, organization.id),
          repos.memberships.organizationIdsOf(user.id),
          repos.users.findByEmail('nobody@example.test'),
          repos.identities.find(connection.id, 'nobody'),
          repos.memberships.find(randomUUID(), organization.id),
        ]);
      const prepared = await reads(db);
      expect(prepared).toEqual(await db.transaction((repos) => reads(repos)));
      expect(prepared.slice(0, 3).every(Boolean)).toBe(true);
      expect(prepared[3]).toEqual([organization.id]);

      // The sign-in time, written by the prepared statement and by Prisma, reads back the same.
      const identityId = prepared[1]!.id;
      const at = new Date('2026-11-30T12:34:56.789Z');
      const touched = await db.identities.touch(identityId, { department: 'Hull' }, at);
      expect(touched).toEqual({ ...prepared[1], attributes: { department: 'Hull' }, lastLoginAt: at });
      expect(await db.transaction((repos) => repos.identities.find(connection.id, 'subject-1'))).toEqual(
        touched,
      );
      expect(
        await db.transaction((repos) => repos.identities.touch(identityId, { department: 'Hull' }, at)),
      ).toEqual(touched);
      await expect(db.identities.touch(`idn_${randomUUID()}`, {}, at)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('creates a connection health row with what is given and changes only what is given after', async () => {
      const { connection } = await organizationWithConnection();
      const signedIn = new Date('2026-11-30T10:00:00.123Z');
      const attributes = { source: 'sign_in', claims: ['email', 'department'] };
      await db.connectionHealth.upsert(connection.id, {
        lastSuccessAt: signedIn,
        lastAttributes: attributes as never,
        lastAttributesAt: signedIn,
      });
      const created = await db.connectionHealth.find(connection.id);
      expect(created).toMatchObject({
        lastSuccessAt: signedIn,
        lastAttributes: attributes,
        lastAttributesAt: signedIn,
        lastFailureAt: null,
        lastFailureReason: null,
        certificateWarnings: {},
      });

      const failed = new Date('2026-11-30T11:00:00.456Z');
      await db.connectionHealth.upsert(connection.id, {
        lastFailureAt: failed,
        lastFailureReason: 'expired',
      });
      await db.connectionHealth.upsert(connection.id, {
        certificateWarnings: { abc: [30] },
        lastAttributes: null,
      });
      expect(await db.connectionHealth.find(connection.id)).toMatchObject({
        lastSuccessAt: signedIn,
        lastAttributes: null,
        lastAttributesAt: signedIn,
        lastFailureAt: failed,
        lastFailureReason: 'expired',
        certificateWarnings: { abc: [30] },
      });
    });

    it('counts a monthly active user once, the first sign-in of the month answering true', async () => {
      const { organization } = await organizationWithConnection();
      const user = await createStoredUser(db);
      expect(await db.monthlyActiveUsers.record(organization.id, '2026-11', user.id)).toBe(true);
      expect(await db.monthlyActiveUsers.record(organization.id, '2026-11', user.id)).toBe(false);
      expect(await db.monthlyActiveUsers.has([organization.id], '2026-11', user.id)).toBe(true);
      expect(await db.monthlyActiveUsers.count([organization.id], '2026-11')).toBe(1);
    });

    it('sets a risk assessment outcome', async () => {
      const assessment = await db.riskAssessments.create({
        id: randomUUID(),
        organizationId: null,
        userId: null,
        ip: '203.0.113.9',
        country: null,
        latitude: null,
        longitude: null,
        deviceHash: null,
        score: 10,
        decision: 'allow',
        signals: [],
        createdAt: new Date('2026-11-30T09:00:00.000Z'),
      });
      await db.riskAssessments.setOutcome(assessment.id, 'succeeded');
      expect(await db.riskAssessments.find(assessment.id)).toEqual({ ...assessment, outcome: 'succeeded' });
    });
  });
}
