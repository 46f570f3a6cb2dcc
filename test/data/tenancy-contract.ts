import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../../src/domain/errors.js';
import type { NewConnection } from '../../src/domain/ports/connections.js';
import type { NewUser } from '../../src/domain/ports/repositories.js';
import type { NewDomain, NewOrganization, NewRole, PageRequest } from '../../src/domain/ports/tenancy.js';
import { openDuringSuite } from '../support/suite-database.js';

const newOrganization = (overrides: Partial<NewOrganization> = {}): NewOrganization => ({
  // The org_ prefix is part of the contract: the access query tells ids from slugs by it.
  id: `org_${randomUUID()}`,
  slug: `org-${randomUUID()}`,
  name: 'Acme',
  parentId: null,
  status: 'active',
  metadata: { tier: 'gold', tags: ['a', 'b'], nested: { n: 1, none: null } },
  domainPolicy: { sso_required: true, auto_join: false },
  securityPolicies: { mfa: 'required', locked: ['mfa'] },
  defaultRole: 'member',
  managedBy: null,
  ...overrides,
});

const newUser = (overrides: Partial<NewUser> = {}): NewUser => ({
  id: randomUUID(),
  email: `${randomUUID()}@example.test`,
  emailVerified: true,
  name: null,
  passwordHash: null,
  managedBy: null,
  ...overrides,
});

const newRole = (organizationId: string, overrides: Partial<NewRole> = {}): NewRole => ({
  id: randomUUID(),
  organizationId,
  name: 'member',
  description: null,
  permissions: ['read'],
  admin: false,
  overridable: false,
  ...overrides,
});

const newDomain = (
  organizationId: string,
  domain: string,
  overrides: Partial<NewDomain> = {},
): NewDomain => ({
  id: randomUUID(),
  organizationId,
  domain,
  verificationToken: `token-${randomUUID()}`,
  verifiedAt: null,
  verificationMethod: null,
  lastCheckedAt: null,
  managedBy: null,
  ...overrides,
});

const uniqueDomain = () => `d${randomUUID().slice(0, 12)}.example.test`;

async function expectConflict(work: Promise<unknown>, code: string): Promise<ConflictError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConflictError);
  expect((error as ConflictError).code).toBe(code);
  return error as ConflictError;
}

/** Every page of `list`, `limit` rows at a time, following the last id as the cursor. */
async function allPages<T extends { id: string }>(
  list: (page: PageRequest) => Promise<T[]>,
  limit: number,
): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list({ after, limit });
    pages.push(page);
    if (page.length < limit) return pages;
    after = page[page.length - 1]?.id;
  }
}

const sorted = (values: readonly string[]) => [...values].sort();

/** Organizations, their roles, memberships, domains, keys, grants and audit: same on PostgreSQL and PGlite. */
export function describeTenancyContract(name: string, open: () => Promise<OpenedDatabase>): void {
  describe(`tenancy data on ${name}`, () => {
    let db!: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    /** root -> mid -> leaf, and root -> sibling. */
    async function tree() {
      const root = await db.organizations.create(newOrganization({ name: 'Root' }));
      const mid = await db.organizations.create(newOrganization({ name: 'Mid', parentId: root.id }));
      const leaf = await db.organizations.create(newOrganization({ name: 'Leaf', parentId: mid.id }));
      const sibling = await db.organizations.create(newOrganization({ name: 'Sibling', parentId: root.id }));
      return { root, mid, leaf, sibling };
    }

    describe('organizations', () => {
      it('creates, finds, updates and round-trips JSON columns', async () => {
        const organization = newOrganization();
        const created = await db.organizations.create(organization);
        expect(created).toMatchObject(organization);
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(await db.organizations.find(organization.id)).toEqual(created);
        expect(await db.organizations.findBySlug(organization.slug)).toEqual(created);
        expect(await db.organizations.find(randomUUID())).toBeUndefined();
        expect(await db.organizations.findBySlug(`org-${randomUUID()}`)).toBeUndefined();

        const updated = await db.organizations.update(organization.id, {
          name: 'Acme Corp',
          status: 'suspended',
          domainPolicy: {},
          defaultRole: null,
        });
        expect(updated).toMatchObject({
          ...organization,
          name: 'Acme Corp',
          status: 'suspended',
          domainPolicy: {},
          defaultRole: null,
        });
        expect(updated.createdAt).toEqual(created.createdAt);
        await expect(db.organizations.update(randomUUID(), { name: 'x' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('lists in id order, one keyset page at a time, with filters', async () => {
        const owner = `config-${randomUUID()}`;
        const parent = await db.organizations.create(newOrganization({ managedBy: owner }));
        const children = [];
        for (let i = 0; i < 5; i += 1) {
          children.push(
            await db.organizations.create(
              newOrganization({
                managedBy: owner,
                parentId: parent.id,
                status: i === 0 ? 'suspended' : 'active',
              }),
            ),
          );
        }
        const pages = await allPages((page) => db.organizations.list({ parentId: parent.id }, page), 2);
        expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
        expect(pages.flat().map((o) => o.id)).toEqual(sorted(children.map((c) => c.id)));
        expect(pages.flat()[0]).toEqual(await db.organizations.find(pages.flat()[0]?.id ?? ''));

        const managed = await db.organizations.list({ managedBy: owner }, { limit: 100 });
        expect(managed.map((o) => o.id)).toEqual(sorted([parent.id, ...children.map((c) => c.id)]));
        const topLevel = await db.organizations.list({ managedBy: owner, parentId: null }, { limit: 100 });
        expect(topLevel.map((o) => o.id)).toEqual([parent.id]);
        const suspended = await db.organizations.list(
          { managedBy: owner, status: 'suspended' },
          { limit: 100 },
        );
        expect(suspended.map((o) => o.id)).toEqual([children[0]?.id]);
        const bySlug = await db.organizations.list({ slug: parent.slug }, { limit: 100 });
        expect(bySlug.map((o) => o.id)).toEqual([parent.id]);

        const someIds = [children[1]!.id, children[3]!.id, randomUUID()];
        const restricted = await db.organizations.list({ ids: someIds }, { limit: 100 });
        expect(restricted.map((o) => o.id)).toEqual(sorted([children[1]!.id, children[3]!.id]));
        expect(await db.organizations.list({ ids: [] }, { limit: 100 })).toEqual([]);
      });

      it('walks a three-level tree up (chain) and down (subtreeIds)', async () => {
        const { root, mid, leaf, sibling } = await tree();
        const chain = await db.organizations.chain(leaf.id);
        expect(chain.map((o) => o.id)).toEqual([leaf.id, mid.id, root.id]);
        expect(chain[0]).toEqual(leaf);
        expect(chain[2]).toEqual(root);
        expect((await db.organizations.chain(root.id)).map((o) => o.id)).toEqual([root.id]);
        expect(await db.organizations.chain(randomUUID())).toEqual([]);

        const subtree = await db.organizations.subtreeIds(root.id);
        expect(subtree[0]).toBe(root.id);
        expect(sorted(subtree)).toEqual(sorted([root.id, mid.id, leaf.id, sibling.id]));
        expect(await db.organizations.subtreeIds(mid.id)).toEqual([mid.id, leaf.id]);
        expect(await db.organizations.subtreeIds(leaf.id)).toEqual([leaf.id]);
        expect(await db.organizations.subtreeIds(randomUUID())).toEqual([]);
      });

      it('refuses a taken slug with ConflictError slug_taken, on create and on update', async () => {
        const first = await db.organizations.create(newOrganization());
        const second = await db.organizations.create(newOrganization());
        const error = await expectConflict(
          db.organizations.create(newOrganization({ slug: first.slug })),
          'slug_taken',
        );
        expect(error.message).toContain(first.slug);
        await expectConflict(db.organizations.update(second.id, { slug: first.slug }), 'slug_taken');
        expect((await db.organizations.find(second.id))?.slug).toBe(second.slug);
      });

      it('refuses to delete an organization with sub-organizations or clients', async () => {
        const { root, mid, leaf, sibling } = await tree();
        const error = await expectConflict(db.organizations.delete(mid.id), 'organization_not_empty');
        expect(error.message).toBe('organization still has sub-organizations or clients');

        const client = await db.clients.upsert({
          id: `client-${randomUUID()}`,
          name: null,
          secretCiphertext: null,
          metadata: {},
          organizationId: sibling.id,
          managedBy: null,
        });
        await expectConflict(db.organizations.delete(sibling.id), 'organization_not_empty');
        await db.clients.delete(client.id);

        // What hangs off it (roles, memberships, domains, keys) goes with it.
        const user = await db.users.create(newUser());
        await db.roles.create(newRole(leaf.id));
        await db.memberships.create({
          id: randomUUID(),
          userId: user.id,
          organizationId: leaf.id,
          status: 'active',
          roles: ['member'],
        });
        await db.domains.create(newDomain(leaf.id, uniqueDomain()));
        await db.organizations.delete(leaf.id);
        expect(await db.organizations.find(leaf.id)).toBeUndefined();
        expect(await db.memberships.find(user.id, leaf.id)).toBeUndefined();
        await expect(db.organizations.delete(leaf.id)).resolves.toBeUndefined();
        await db.organizations.delete(mid.id);
        await db.organizations.delete(sibling.id);
        await db.organizations.delete(root.id);
        expect(await db.organizations.find(root.id)).toBeUndefined();
      });

      it('translates a conflict inside a transaction and writes nothing', async () => {
        const taken = await db.organizations.create(newOrganization());
        const fresh = newOrganization();
        await expectConflict(
          db.transaction(async (repos) => {
            await repos.organizations.create(fresh);
            await repos.organizations.create(newOrganization({ slug: taken.slug }));
          }),
          'slug_taken',
        );
        expect(await db.organizations.find(fresh.id)).toBeUndefined();
      });
    });

    describe('roles', () => {
      it('creates, finds, lists, updates and deletes roles', async () => {
        const { root, mid } = await tree();
        const admin = await db.roles.create(
          newRole(root.id, { name: 'admin', permissions: ['org:write', 'org:read'], admin: true }),
        );
        const member = await db.roles.create(newRole(root.id, { name: 'member', overridable: true }));
        const midMember = await db.roles.create(newRole(mid.id, { name: 'member', description: 'override' }));
        expect(admin).toMatchObject({ name: 'admin', permissions: ['org:write', 'org:read'], admin: true });
        expect(await db.roles.find(root.id, 'member')).toEqual(member);
        expect(await db.roles.find(root.id, 'nobody')).toBeUndefined();

        const listed = await db.roles.listFor([mid.id, root.id]);
        const byOrg = sorted([root.id, mid.id]);
        const expected = byOrg.flatMap((orgId) =>
          orgId === root.id ? [admin.id, member.id] : [midMember.id],
        );
        expect(listed.map((r) => r.id)).toEqual(expected);
        expect(await db.roles.listFor([])).toEqual([]);

        const updated = await db.roles.update(member.id, { permissions: [], description: 'everyone' });
        expect(updated).toMatchObject({ permissions: [], description: 'everyone', overridable: true });
        await expect(db.roles.update(randomUUID(), { admin: true })).rejects.toBeInstanceOf(NotFoundError);

        await db.roles.delete(member.id);
        expect(await db.roles.find(root.id, 'member')).toBeUndefined();
        await expect(db.roles.delete(member.id)).resolves.toBeUndefined();
      });

      it('refuses a second role of the same name in one organization with role_exists', async () => {
        const organization = await db.organizations.create(newOrganization());
        await db.roles.create(newRole(organization.id, { name: 'viewer' }));
        await expectConflict(db.roles.create(newRole(organization.id, { name: 'viewer' })), 'role_exists');
      });
    });

    describe('connections', () => {
      const newConnection = (organizationId: string, key: string): NewConnection => ({
        id: `con_${randomUUID()}`,
        organizationId,
        key,
        type: 'oidc',
        preset: 'azure-ad',
        enabled: true,
        settings: { issuer: 'https://idp.example.test', client_id: 'gatehouse', scopes: ['openid'] },
        attributeMap: { department: 'business_unit' },
        secretCiphertext: 'v1.iv.ct.tag',
        managedBy: null,
      });

      it('creates, finds, lists by key, updates and deletes; keys are per organization', async () => {
        const { root, sibling } = await tree();
        const okta = await db.connections.create(newConnection(root.id, 'okta'));
        const azure = await db.connections.create(newConnection(root.id, 'azure'));
        const elsewhere = await db.connections.create(newConnection(sibling.id, 'azure'));
        expect(okta).toMatchObject({ key: 'okta', type: 'oidc', settings: { scopes: ['openid'] } });
        expect(await db.connections.find(root.id, 'azure')).toEqual(azure);
        expect(await db.connections.findById(elsewhere.id)).toEqual(elsewhere);
        expect(await db.connections.find(root.id, 'nobody')).toBeUndefined();
        expect((await db.connections.listFor(root.id)).map((c) => c.key)).toEqual(['azure', 'okta']);

        const updated = await db.connections.update(azure.id, {
          enabled: false,
          preset: null,
          secretCiphertext: null,
          settings: { issuer: 'https://other.example.test', client_id: 'x' },
        });
        expect(updated).toMatchObject({ enabled: false, preset: null, secretCiphertext: null });
        expect(updated.settings).toEqual({ issuer: 'https://other.example.test', client_id: 'x' });
        expect(updated.attributeMap).toEqual({ department: 'business_unit' });
        await expect(db.connections.update(randomUUID(), { enabled: true })).rejects.toBeInstanceOf(
          NotFoundError,
        );

        await db.connections.delete(azure.id);
        expect(await db.connections.findById(azure.id)).toBeUndefined();
        await expect(db.connections.delete(azure.id)).resolves.toBeUndefined();
      });

      it('refuses a second connection of the same key in one organization with connection_exists', async () => {
        const organization = await db.organizations.create(newOrganization());
        await db.connections.create(newConnection(organization.id, 'azure'));
        await expectConflict(
          db.connections.create(newConnection(organization.id, 'azure')),
          'connection_exists',
        );
      });

      it('goes with its organization', async () => {
        const organization = await db.organizations.create(newOrganization());
        const connection = await db.connections.create(newConnection(organization.id, 'azure'));
        await db.organizations.delete(organization.id);
        expect(await db.connections.findById(connection.id)).toBeUndefined();
      });
    });

    describe('memberships', () => {
      it('creates, finds, lists with filters and pages, updates and deletes', async () => {
        const organization = await db.organizations.create(newOrganization());
        const other = await db.organizations.create(newOrganization());
        const users = await Promise.all([1, 2, 3, 4].map(() => db.users.create(newUser())));
        const memberships = [];
        for (const [i, user] of users.entries()) {
          memberships.push(
            await db.memberships.create({
              id: randomUUID(),
              userId: user.id,
              organizationId: organization.id,
              status: i === 3 ? 'pending' : 'active',
              roles: i % 2 === 0 ? ['admin', 'member'] : ['member'],
            }),
          );
        }
        const first = memberships[0]!;
        expect(await db.memberships.find(users[0]!.id, organization.id)).toEqual(first);
        expect(await db.memberships.findById(first.id)).toEqual(first);
        expect(await db.memberships.find(users[0]!.id, other.id)).toBeUndefined();
        await expectConflict(
          db.memberships.create({ ...first, id: randomUUID(), roles: [] }),
          'membership_exists',
        );

        const inOrg = { organizationIds: [organization.id] };
        const pages = await allPages((page) => db.memberships.list(inOrg, page), 3);
        expect(pages.map((p) => p.length)).toEqual([3, 1]);
        expect(pages.flat().map((m) => m.id)).toEqual(sorted(memberships.map((m) => m.id)));
        const admins = await db.memberships.list({ ...inOrg, role: 'admin' }, { limit: 10 });
        expect(admins.map((m) => m.id)).toEqual(sorted([memberships[0]!.id, memberships[2]!.id]));
        const pending = await db.memberships.list({ ...inOrg, status: 'pending' }, { limit: 10 });
        expect(pending.map((m) => m.id)).toEqual([memberships[3]!.id]);
        const ofUser = await db.memberships.list({ userId: users[1]!.id }, { limit: 10 });
        expect(ofUser.map((m) => m.id)).toEqual([memberships[1]!.id]);

        const updated = await db.memberships.update(first.id, { status: 'suspended', roles: ['member'] });
        expect(updated).toMatchObject({ status: 'suspended', roles: ['member'] });
        await expect(db.memberships.update(randomUUID(), { roles: [] })).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await db.memberships.delete(first.id);
        expect(await db.memberships.findById(first.id)).toBeUndefined();
      });

      it('removeRole takes a role name off memberships in the given organizations only', async () => {
        const { root, mid, sibling } = await tree();
        const user = await db.users.create(newUser());
        const member = (organizationId: string, roles: string[]) =>
          db.memberships.create({
            id: randomUUID(),
            userId: user.id,
            organizationId,
            status: 'active',
            roles,
          });
        const inRoot = await member(root.id, ['auditor', 'member', 'auditor']);
        const inMid = await member(mid.id, ['auditor']);
        const inSibling = await member(sibling.id, ['auditor', 'member']);

        await db.memberships.removeRole([root.id, mid.id], 'auditor');
        const rootAfter = await db.memberships.findById(inRoot.id);
        expect(rootAfter?.roles).toEqual(['member']);
        expect(rootAfter!.updatedAt.getTime()).toBeGreaterThanOrEqual(inRoot.updatedAt.getTime());
        // Within a minute of now: the raw UPDATE stamps UTC like Prisma does.
        expect(Math.abs(rootAfter!.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
        expect((await db.memberships.findById(inMid.id))?.roles).toEqual([]);
        expect((await db.memberships.findById(inSibling.id))?.roles).toEqual(['auditor', 'member']);
        await expect(db.memberships.removeRole([], 'member')).resolves.toBeUndefined();
      });
    });

    describe('domains', () => {
      it('lets several organizations claim a domain but only one verify it (domain_taken)', async () => {
        const domain = uniqueDomain();
        const a = await db.organizations.create(newOrganization());
        const b = await db.organizations.create(newOrganization());
        const claimA = await db.domains.create(newDomain(a.id, domain));
        const claimB = await db.domains.create(newDomain(b.id, domain));
        expect(claimA).toMatchObject({ domain, verifiedAt: null, verificationMethod: null });
        expect(await db.domains.findVerified(domain)).toBeUndefined();

        const verifiedAt = new Date('2031-01-01T00:00:00.000Z');
        const verified = await db.domains.update(claimA.id, { verifiedAt, verificationMethod: 'dns' });
        expect(verified).toMatchObject({ id: claimA.id, verifiedAt, verificationMethod: 'dns' });
        expect(await db.domains.findVerified(domain)).toEqual(verified);

        const error = await expectConflict(
          db.domains.update(claimB.id, { verifiedAt, verificationMethod: 'operator' }),
          'domain_taken',
        );
        expect(error.message).toBe(`${domain} is already verified by another organization`);
        expect((await db.domains.find(b.id, domain))?.verifiedAt).toBeNull();
        // Other changes to the pending claim are fine.
        const checkedAt = new Date('2031-01-02T00:00:00.000Z');
        expect(await db.domains.update(claimB.id, { lastCheckedAt: checkedAt })).toMatchObject({
          lastCheckedAt: checkedAt,
          verifiedAt: null,
        });

        // Once A lets go, B may verify.
        await db.domains.update(claimA.id, { verifiedAt: null, verificationMethod: null });
        expect(await db.domains.findVerified(domain)).toBeUndefined();
        await db.domains.update(claimB.id, { verifiedAt, verificationMethod: 'operator' });
        expect((await db.domains.findVerified(domain))?.organizationId).toBe(b.id);
        await expect(db.domains.update(randomUUID(), { verifiedAt })).rejects.toBeInstanceOf(NotFoundError);
      });

      it('refuses creating an already-verified claim on a taken domain, and duplicate claims', async () => {
        const domain = uniqueDomain();
        const a = await db.organizations.create(newOrganization());
        const b = await db.organizations.create(newOrganization());
        const verifiedAt = new Date('2031-01-01T00:00:00.000Z');
        await db.domains.create(newDomain(a.id, domain, { verifiedAt, verificationMethod: 'operator' }));
        expect((await db.domains.findVerified(domain))?.organizationId).toBe(a.id);
        await expectConflict(
          db.domains.create(newDomain(b.id, domain, { verifiedAt, verificationMethod: 'operator' })),
          'domain_taken',
        );
        await expectConflict(db.domains.create(newDomain(a.id, domain)), 'domain_exists');
      });

      it('lists claims and finds verified ones among several names', async () => {
        const organization = await db.organizations.create(newOrganization());
        const exact = uniqueDomain();
        const wildcard = `*.${uniqueDomain()}`;
        const pending = uniqueDomain();
        const verifiedAt = new Date('2031-01-01T00:00:00.000Z');
        const one = await db.domains.create(newDomain(organization.id, exact, { verifiedAt }));
        const two = await db.domains.create(newDomain(organization.id, wildcard, { verifiedAt }));
        const three = await db.domains.create(newDomain(organization.id, pending));
        expect((await db.domains.listFor(organization.id)).map((d) => d.id).sort()).toEqual(
          sorted([one.id, two.id, three.id]),
        );
        const among = await db.domains.findVerifiedAmong([exact, wildcard, pending, uniqueDomain()]);
        expect(among.map((d) => d.id).sort()).toEqual(sorted([one.id, two.id]));
        expect(await db.domains.findVerifiedAmong([])).toEqual([]);
        await db.domains.delete(one.id);
        expect(await db.domains.find(organization.id, exact)).toBeUndefined();
      });
    });

    describe('API keys', () => {
      it('creates, finds by hash, lists, revokes once and records use', async () => {
        const organization = await db.organizations.create(newOrganization());
        const keys = [];
        for (let i = 0; i < 3; i += 1) {
          keys.push(
            await db.apiKeys.create({
              id: randomUUID(),
              name: `key ${i}`,
              secretHash: randomUUID(),
              organizationId: organization.id,
              access: i === 1 ? 'read_only' : 'read_write',
              createdBy: 'cli',
              expiresAt: i === 0 ? new Date('2032-01-01T00:00:00.000Z') : null,
            }),
          );
        }
        const key = keys[0]!;
        expect(key).toMatchObject({
          lastUsedAt: null,
          revokedAt: null,
          createdBy: 'cli',
          access: 'read_write',
        });
        expect(await db.apiKeys.find(keys[1]!.id)).toMatchObject({ access: 'read_only' });
        expect(await db.apiKeys.findByHash(key.secretHash)).toEqual(key);
        expect(await db.apiKeys.find(key.id)).toEqual(key);
        expect(await db.apiKeys.findByHash(randomUUID())).toBeUndefined();

        const pages = await allPages(
          (page) => db.apiKeys.list({ organizationIds: [organization.id] }, page),
          2,
        );
        expect(pages.flat().map((k) => k.id)).toEqual(sorted(keys.map((k) => k.id)));

        const usedAt = new Date('2031-05-01T00:00:00.000Z');
        await db.apiKeys.touch(key.id, usedAt);
        expect((await db.apiKeys.find(key.id))?.lastUsedAt).toEqual(usedAt);
        const revokedAt = new Date('2031-06-01T00:00:00.000Z');
        await db.apiKeys.revoke(key.id, revokedAt);
        await db.apiKeys.revoke(key.id, new Date('2031-07-01T00:00:00.000Z'));
        expect((await db.apiKeys.find(key.id))?.revokedAt).toEqual(revokedAt);
        await expect(db.apiKeys.revoke(randomUUID(), revokedAt)).resolves.toBeUndefined();
      });
    });

    describe('grant organizations', () => {
      it('binds a grant once and finds it by grant and by (user, organization)', async () => {
        const organization = await db.organizations.create(newOrganization());
        const userId = randomUUID();
        const binding = {
          grantId: randomUUID(),
          organizationId: organization.id,
          userId,
          clientId: 'rp',
          connectionId: null,
        };
        await db.grantOrganizations.bind(binding);
        await db.grantOrganizations.bind(binding);
        expect(await db.grantOrganizations.find(binding.grantId)).toEqual(binding);
        await expectConflict(
          db.grantOrganizations.bind({ ...binding, organizationId: randomUUID() }),
          'grant_bound',
        );
        expect(await db.grantOrganizations.find(binding.grantId)).toEqual(binding);

        const second = { ...binding, grantId: randomUUID() };
        await db.grantOrganizations.bind(second);
        expect(await db.grantOrganizations.grantIdsFor(userId, organization.id)).toEqual(
          sorted([binding.grantId, second.grantId]),
        );
        await db.grantOrganizations.deleteFor(userId, organization.id);
        expect(await db.grantOrganizations.grantIdsFor(userId, organization.id)).toEqual([]);
        expect(await db.grantOrganizations.find(binding.grantId)).toBeUndefined();
      });
    });

    describe('audit', () => {
      it('appends records and lists them oldest first, one keyset page at a time', async () => {
        const organization = await db.organizations.create(newOrganization());
        const targetId = randomUUID();
        const entry = {
          organizationId: organization.id,
          actor: { type: 'api_key' as const, id: 'key-1' },
          targetType: 'organization',
          targetId,
        };
        await db.audit.append({
          ...entry,
          action: 'organization.create',
          before: null,
          after: { name: 'A' },
        });
        await db.audit.append({
          ...entry,
          action: 'organization.update',
          before: { name: 'A', at: new Date('2031-01-01T00:00:00.000Z'), gone: undefined },
          after: { name: 'B', list: [1, null] },
        });
        await db.audit.append({
          ...entry,
          action: 'organization.delete',
          before: { name: 'B' },
          after: undefined,
        });

        const records = await db.audit.list({ targetType: 'organization', targetId }, { limit: 10 });
        expect(records.map((r) => r.action)).toEqual([
          'organization.create',
          'organization.update',
          'organization.delete',
        ]);
        expect(records[0]).toMatchObject({ ...entry, before: null, after: { name: 'A' } });
        expect(typeof records[0]?.id).toBe('string');
        expect(records[0]?.at).toBeInstanceOf(Date);
        expect(records[1]).toMatchObject({
          before: { name: 'A', at: '2031-01-01T00:00:00.000Z' },
          after: { name: 'B', list: [1, null] },
        });
        expect(records[2]).toMatchObject({ before: { name: 'B' }, after: null });

        const pages = await allPages((page) => db.audit.list({ targetId }, page), 2);
        expect(pages.map((p) => p.length)).toEqual([2, 1]);
        expect(pages.flat()).toEqual(records);
        const ids = records.map((r) => BigInt(r.id));
        expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));

        const updates = await db.audit.list(
          { organizationIds: [organization.id], action: 'organization.update' },
          { limit: 10 },
        );
        expect(updates.map((r) => r.id)).toEqual([records[1]?.id]);
        await expect(db.audit.list({ targetId }, { after: 'abc', limit: 1 })).rejects.toBeInstanceOf(
          RuleViolationError,
        );
      });
    });

    describe('users and clients by organization', () => {
      it('searches users by organization membership and by email, in keyset pages', async () => {
        const a = await db.organizations.create(newOrganization());
        const b = await db.organizations.create(newOrganization());
        const users = await Promise.all([1, 2, 3].map(() => db.users.create(newUser())));
        const outsider = await db.users.create(newUser());
        const join = (userId: string, organizationId: string) =>
          db.memberships.create({ id: randomUUID(), userId, organizationId, status: 'active', roles: [] });
        await join(users[0]!.id, a.id);
        await join(users[1]!.id, a.id);
        await join(users[1]!.id, b.id);
        await join(users[2]!.id, b.id);

        const both = await allPages((page) => db.users.search({ organizationIds: [a.id, b.id] }, page), 2);
        expect(both.flat().map((u) => u.id)).toEqual(sorted(users.map((u) => u.id)));
        const inA = await db.users.search({ organizationIds: [a.id] }, { limit: 10 });
        expect(inA.map((u) => u.id)).toEqual(sorted([users[0]!.id, users[1]!.id]));
        const byEmail = await db.users.search(
          { email: users[2]!.email, organizationIds: [b.id] },
          { limit: 10 },
        );
        expect(byEmail).toEqual([users[2]]);
        expect(
          await db.users.search({ email: outsider.email, organizationIds: [a.id] }, { limit: 10 }),
        ).toEqual([]);
        expect(await db.users.search({ email: outsider.email }, { limit: 10 })).toEqual([outsider]);
      });

      it('stores the owning organization of a client and lists by it', async () => {
        const organization = await db.organizations.create(newOrganization());
        const client = await db.clients.upsert({
          id: `client-${randomUUID()}`,
          name: 'Owned',
          secretCiphertext: null,
          metadata: { redirect_uris: [] },
          organizationId: organization.id,
          managedBy: null,
        });
        expect(client.organizationId).toBe(organization.id);
        expect((await db.clients.list({ organizationIds: [organization.id] })).map((c) => c.id)).toEqual([
          client.id,
        ]);
        await db.clients.upsert({ ...client, organizationId: null });
        expect(await db.clients.list({ organizationIds: [organization.id] })).toEqual([]);
        expect((await db.clients.find(client.id))?.organizationId).toBeNull();
        await db.clients.delete(client.id);
      });
    });

    describe('organization access query', () => {
      it('reads chain, membership and the roles on the chain for a user', async () => {
        const { root, mid, leaf } = await tree();
        const user = await db.users.create(newUser());
        await db.roles.create(newRole(root.id, { name: 'member', permissions: ['read'], overridable: true }));
        await db.roles.create(newRole(root.id, { name: 'admin', permissions: ['write'], admin: true }));
        await db.roles.create(newRole(leaf.id, { name: 'member', permissions: ['read', 'comment'] }));
        const membership = await db.memberships.create({
          id: randomUUID(),
          userId: user.id,
          organizationId: leaf.id,
          status: 'active',
          roles: ['member', 'admin'],
        });

        const access = await db.access.forUser(leaf.id, user.id);
        expect(access).toEqual({
          chain: [
            { id: leaf.id, slug: leaf.slug, status: 'active', parentId: mid.id, frozen: false, plan: {} },
            { id: mid.id, slug: mid.slug, status: 'active', parentId: root.id, frozen: false, plan: {} },
            { id: root.id, slug: root.slug, status: 'active', parentId: null, frozen: false, plan: {} },
          ],
          membership: { id: membership.id, status: 'active', roles: ['member', 'admin'] },
          roles: [
            {
              organizationId: leaf.id,
              name: 'member',
              permissions: ['read', 'comment'],
              admin: false,
              overridable: false,
            },
            {
              organizationId: root.id,
              name: 'admin',
              permissions: ['write'],
              admin: true,
              overridable: false,
            },
            {
              organizationId: root.id,
              name: 'member',
              permissions: ['read'],
              admin: false,
              overridable: true,
            },
          ],
        });

        const stranger = await db.access.forUser(mid.id, randomUUID());
        expect(stranger?.chain.map((o) => o.id)).toEqual([mid.id, root.id]);
        expect(stranger?.membership).toBeNull();
        expect(stranger?.roles.map((r) => r.name)).toEqual(['admin', 'member']);
        expect(await db.access.forUser(randomUUID(), user.id)).toBeUndefined();
      });

      it('finds by slug as by id, and lists the organizations a user may act for now', async () => {
        const { root, mid, leaf } = await tree();
        const user = await db.users.create(newUser());
        const join = (organizationId: string, status: 'active' | 'pending' = 'active') =>
          db.memberships.create({ id: randomUUID(), userId: user.id, organizationId, status, roles: [] });
        expect(await db.access.forUser(leaf.slug, user.id)).toEqual(
          await db.access.forUser(leaf.id, user.id),
        );

        const suspended = await db.organizations.create(newOrganization({ status: 'suspended' }));
        const underSuspended = await db.organizations.create(newOrganization({ parentId: suspended.id }));
        const pending = await db.organizations.create(newOrganization());
        for (const org of [root, leaf, suspended, underSuspended]) await join(org.id);
        await join(pending.id, 'pending');
        const ids = (await db.access.choicesFor(user.id)).map((choice) => choice.id);
        expect(ids.sort()).toEqual([root.id, leaf.id].sort());

        await db.organizations.update(mid.id, { status: 'suspended' });
        expect((await db.access.choicesFor(user.id)).map((choice) => choice.id)).toEqual([root.id]);
        expect(await db.access.choicesFor(randomUUID())).toEqual([]);
      });

      it('reads the same for a grant, with its user', async () => {
        const { root, leaf } = await tree();
        const user = await db.users.create(newUser());
        await db.memberships.create({
          id: randomUUID(),
          userId: user.id,
          organizationId: leaf.id,
          status: 'pending',
          roles: [],
        });
        const grantId = randomUUID();
        await db.grantOrganizations.bind({
          grantId,
          organizationId: leaf.id,
          userId: user.id,
          clientId: 'rp',
        });

        const access = await db.access.forGrant(grantId);
        expect(access).toMatchObject({
          userId: user.id,
          membership: { status: 'pending', roles: [] },
          roles: [],
        });
        expect(access?.chain.map((o) => o.id)).toEqual([leaf.id, expect.any(String), root.id]);
        expect(access).toEqual({
          userId: user.id,
          connectionId: null,
          ...(await db.access.forUser(leaf.id, user.id)),
        });
        // A grant made through an upstream connection reads back which one (the `idp` claim).
        const federated = randomUUID();
        await db.grantOrganizations.bind({
          grantId: federated,
          organizationId: leaf.id,
          userId: user.id,
          clientId: 'rp',
          connectionId: 'con_upstream',
        });
        expect(await db.access.forGrant(federated)).toMatchObject({ connectionId: 'con_upstream' });
        expect(await db.access.forGrant(randomUUID())).toBeUndefined();

        // The organization gone: still bound, but to nothing (no chain, no membership).
        const lone = await db.organizations.create(newOrganization());
        const loneGrant = randomUUID();
        await db.grantOrganizations.bind({
          grantId: loneGrant,
          organizationId: lone.id,
          userId: user.id,
          clientId: 'rp',
        });
        await db.organizations.delete(lone.id);
        expect(await db.access.forGrant(loneGrant)).toEqual({
          userId: user.id,
          connectionId: null,
          chain: [],
          membership: null,
          roles: [],
        });
      });
    });
  });
}
