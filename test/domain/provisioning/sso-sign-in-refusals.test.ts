import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createSsoSignIn } from '../../../src/domain/provisioning/sso-sign-in.js';
import {
  createTestOrganization,
  oidcIdentity,
  uniqueDomain,
  useTestDatabase,
  verifyDomain,
} from './sso-fixtures.js';

describe('SSO sign-in: who is turned away', () => {
  const database = useTestDatabase();
  const signIn = () => createSsoSignIn(database()).signIn;

  it('refuses an email whose domain the organization has not verified', async () => {
    const db = database();
    const { organization, connection } = await createTestOrganization(db);
    const elsewhere = uniqueDomain('unverified');
    const pending = uniqueDomain('pending');
    await db.domains.create({
      id: `dom_${randomUUID()}`,
      organizationId: organization.id,
      domain: pending,
      verificationToken: 'not yet',
      verifiedAt: null,
      verificationMethod: null,
      lastCheckedAt: null,
      managedBy: null,
    });
    for (const email of [`eve@${elsewhere}`, `eve@${pending}`]) {
      expect(await signIn()(oidcIdentity(connection, email))).toMatchObject({
        kind: 'refused',
        code: 'email_domain_not_verified',
      });
      expect(await db.users.findByEmail(email)).toBeUndefined();
    }
  });

  it('never lets the IdP of organization A mint users of organization B', async () => {
    const db = database();
    const a = await createTestOrganization(db);
    const b = await createTestOrganization(db);
    const outcome = await signIn()(oidcIdentity(a.connection, `victim@${b.domain}`));
    expect(outcome).toMatchObject({ kind: 'refused', code: 'email_domain_not_verified' });
    expect(await db.users.findByEmail(`victim@${b.domain}`)).toBeUndefined();

    // Not by mapping another claim to `email` either: the mapped email is checked the same way.
    const mapped = await createTestOrganization(db, { attributeMap: { mail: 'email' } });
    const spoofed = oidcIdentity(mapped.connection, `ok@${mapped.domain}`, {
      claims: { mail: `victim@${b.domain}`, email: `ok@${mapped.domain}` },
    });
    expect(await signIn()(spoofed)).toMatchObject({ kind: 'refused', code: 'email_domain_not_verified' });
  });

  it('honours verified wildcards, where the most specific verified claim decides', async () => {
    const db = database();
    const base = uniqueDomain('corp');
    const wide = await createTestOrganization(db, { domains: [`*.${base}`] });
    expect(await signIn()(oidcIdentity(wide.connection, `ok@eu.${base}`))).toMatchObject({
      kind: 'signed_in',
    });
    expect(await signIn()(oidcIdentity(wide.connection, `ok@a.b.${base}`))).toMatchObject({
      kind: 'signed_in',
    });
    // A wildcard covers what is below the name, not the name itself.
    expect(await signIn()(oidcIdentity(wide.connection, `no@${base}`))).toMatchObject({
      code: 'email_domain_not_verified',
    });

    const narrow = await createTestOrganization(db, { domains: [] });
    await verifyDomain(db, narrow.organization.id, `us.${base}`);
    expect(await signIn()(oidcIdentity(wide.connection, `no@us.${base}`))).toMatchObject({
      code: 'email_domain_not_verified',
    });
    expect(await signIn()(oidcIdentity(narrow.connection, `ok@us.${base}`))).toMatchObject({
      kind: 'signed_in',
    });
  });

  it('refuses an email the IdP says is unverified, or no email at all', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const unverified = await signIn()(oidcIdentity(connection, `x@${domain}`, { emailVerified: false }));
    expect(unverified).toMatchObject({ kind: 'refused', code: 'email_domain_not_verified' });
    expect(unverified.kind === 'refused' && unverified.reason).toMatch(/not verified/);

    const none = oidcIdentity(connection, '', { claims: {}, email: undefined });
    expect(await signIn()(none)).toMatchObject({ kind: 'refused', code: 'email_missing' });
    const garbage = oidcIdentity(connection, 'not an email', { claims: {} });
    expect(await signIn()(garbage)).toMatchObject({ kind: 'refused', code: 'email_missing' });
  });

  it('refuses through a disabled, unknown or mismatched connection', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const email = `x@${domain}`;
    expect(await signIn()(oidcIdentity(connection, email, { protocol: 'saml' }))).toMatchObject({
      code: 'connection_unavailable',
    });
    expect(
      await signIn()(oidcIdentity(connection, email, { connectionId: `con_${randomUUID()}` })),
    ).toMatchObject({ code: 'connection_unavailable' });
    await db.connections.update(connection.id, { enabled: false });
    expect(await signIn()(oidcIdentity(connection, email))).toMatchObject({
      kind: 'refused',
      code: 'connection_unavailable',
    });
    expect(await db.users.findByEmail(email)).toBeUndefined();
  });

  it('refuses when the organization or one of its ancestors is suspended', async () => {
    const db = database();
    const parent = await createTestOrganization(db);
    const child = await createTestOrganization(db, { parentId: parent.organization.id });
    await db.organizations.update(parent.organization.id, { status: 'suspended' });
    for (const { connection, domain } of [parent, child]) {
      expect(await signIn()(oidcIdentity(connection, `x@${domain}`))).toMatchObject({
        kind: 'refused',
        code: 'organization_suspended',
      });
    }
  });

  it('without JIT admits only users who are already members', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db, {
      provisioning: { jit: false },
    });
    const stranger = oidcIdentity(connection, `new@${domain}`);
    expect(await signIn()(stranger)).toMatchObject({ kind: 'refused', code: 'jit_disabled' });
    expect(await db.users.findByEmail(`new@${domain}`)).toBeUndefined();
    expect(await db.identities.find(connection.id, stranger.subject)).toBeUndefined();

    const user = await db.users.create({
      id: `usr_${randomUUID()}`,
      email: `known@${domain}`,
      emailVerified: false,
      name: null,
      passwordHash: null,
      managedBy: null,
    });
    const known = oidcIdentity(connection, user.email);
    expect(await signIn()(known)).toMatchObject({ kind: 'refused', code: 'jit_disabled' });
    await db.memberships.create({
      id: `mem_${randomUUID()}`,
      userId: user.id,
      organizationId: organization.id,
      status: 'active',
      roles: [],
    });
    expect(await signIn()(known)).toMatchObject({
      kind: 'signed_in',
      userId: user.id,
      created: { user: false, membership: false },
    });
    expect(await db.identities.find(connection.id, known.subject)).toMatchObject({ userId: user.id });
  });

  it('refuses a suspended member without recording the sign-in', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const identity = oidcIdentity(connection, `s@${domain}`, { claims: { dept: 'Hull' } });
    const first = await signIn()(identity);
    if (first.kind !== 'signed_in') throw new Error('signed in expected');
    const membership = (await db.memberships.find(first.userId, organization.id))!;
    await db.memberships.update(membership.id, { status: 'suspended' });
    const before = await db.identities.find(connection.id, identity.subject);

    const outcome = await signIn()({ ...identity, claims: { dept: 'Cargo', name: 'Changed' } });
    expect(outcome).toMatchObject({ kind: 'refused', code: 'membership_suspended' });
    expect(await db.identities.find(connection.id, identity.subject)).toEqual(before);
    expect((await db.users.findById(first.userId))?.name).not.toBe('Changed');
  });
});
