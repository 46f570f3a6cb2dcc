import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../../src/domain/ports/repositories.js';
import { createSsoSignIn } from '../../../src/domain/provisioning/sso-sign-in.js';
import { createTestOrganization, oidcIdentity, useTestDatabase } from './sso-fixtures.js';

const ROLE_CLAIM = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';
const AT = new Date('2026-03-04T05:06:07.000Z');

/** The first `parties` callers wait until all of them have arrived; later callers pass straight on. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const everyone = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    if (arrived <= parties) await everyone;
  };
}

describe('SSO sign-in: just-in-time provisioning', () => {
  const database = useTestDatabase();
  const signIn = (db: Database = database()) => createSsoSignIn(db, { now: () => AT }).signIn;

  it('creates the user, the identity and the membership with the default and rule roles', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const email = `Ada.Lovelace@${domain.toUpperCase()}`;
    const identity = oidcIdentity(connection, email, {
      claims: {
        email,
        given_name: 'Ada',
        family_name: 'Lovelace',
        [ROLE_CLAIM]: 'Senior_Underwriter',
        dept: 'Cargo',
      },
    });
    const outcome = await signIn()(identity);
    expect(outcome).toMatchObject({
      kind: 'signed_in',
      organizationId: organization.id,
      created: { user: true, membership: true },
      warnings: [],
    });
    if (outcome.kind !== 'signed_in') throw new Error('unreachable');

    const user = await db.users.findById(outcome.userId);
    expect(user).toMatchObject({
      email: `ada.lovelace@${domain}`,
      emailVerified: true,
      name: 'Ada Lovelace',
      passwordHash: null,
      profile: { given_name: 'Ada', family_name: 'Lovelace' },
    });
    const link = await db.identities.find(connection.id, identity.subject);
    expect(link).toMatchObject({ userId: outcome.userId, lastLoginAt: AT });
    expect(link?.attributes).toEqual({
      maritime_role: 'Senior_Underwriter',
      department: 'Cargo',
      email: `ada.lovelace@${domain}`,
      given_name: 'Ada',
      family_name: 'Lovelace',
    });
    const membership = await db.memberships.find(outcome.userId, organization.id);
    expect(membership).toMatchObject({
      status: 'active',
      roles: ['member', 'senior_underwriter', 'claims_adjuster'],
      ruleRoles: ['senior_underwriter', 'claims_adjuster'],
    });

    const audit = await db.audit.list({ organizationIds: [organization.id] }, { limit: 10 });
    expect(audit.map((record) => [record.action, record.actor])).toEqual(
      ['user.create', 'identity.link', 'membership.create'].map((action) => [
        action,
        { type: 'system', id: `sso:${connection.id}` },
      ]),
    );
  });

  it('reads multi-valued SAML attributes: a profile field takes the first value, rules see them all', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db, { connectionType: 'saml' });
    const identity = oidcIdentity(connection, `grace@${domain}`, {
      claims: { given_name: ['Grace', 'G.'], dept: ['Marine', 'Hull'], [ROLE_CLAIM]: ['Junior', 'Other'] },
      emailVerified: undefined,
    });
    const outcome = await signIn()(identity);
    if (outcome.kind !== 'signed_in') throw new Error(`signed in expected: ${JSON.stringify(outcome)}`);
    expect((await db.users.findById(outcome.userId))?.profile).toEqual({ given_name: 'Grace' });
    expect((await db.identities.find(connection.id, identity.subject))?.attributes).toMatchObject({
      department: ['Marine', 'Hull'],
      maritime_role: ['Junior', 'Other'],
    });
    expect((await db.memberships.find(outcome.userId, organization.id))?.roles).toEqual([
      'member',
      'claims_adjuster',
    ]);
  });

  it('on later sign-ins updates attributes, profile and rule roles, keeping roles an administrator gave', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const email = `marin@${domain}`;
    const first = oidcIdentity(connection, email, {
      claims: { email, name: 'Marin', [ROLE_CLAIM]: 'Senior_Underwriter' },
    });
    const outcome = await signIn()(first);
    if (outcome.kind !== 'signed_in') throw new Error('signed in expected');
    const membership = (await db.memberships.find(outcome.userId, organization.id))!;
    expect(membership.roles).toEqual(['member', 'senior_underwriter']);
    await db.memberships.update(membership.id, { roles: [...membership.roles, 'auditor'] });

    const later = { ...first, claims: { email, name: 'Marin Kay', locale: 'nb-NO', dept: 'Hull' } };
    const again = await signIn()(later);
    expect(again).toMatchObject({
      kind: 'signed_in',
      userId: outcome.userId,
      created: { user: false, membership: false },
    });
    expect(await db.memberships.find(outcome.userId, organization.id)).toMatchObject({
      roles: ['member', 'auditor', 'claims_adjuster'],
      ruleRoles: ['claims_adjuster'],
    });
    expect(await db.users.findById(outcome.userId)).toMatchObject({
      name: 'Marin Kay',
      profile: { locale: 'nb-NO' },
    });
    expect((await db.identities.find(connection.id, first.subject))?.attributes).toEqual({
      department: 'Hull',
      email,
      name: 'Marin Kay',
      locale: 'nb-NO',
    });
    const updates = await db.audit.list(
      { organizationIds: [organization.id], action: 'membership.update' },
      { limit: 5 },
    );
    expect(updates.map((record) => (record.after as { roles: string[] }).roles)).toEqual([
      ['member', 'auditor', 'claims_adjuster'],
    ]);

    // Nothing changed at the IdP: nothing is written but the sign-in time.
    await signIn()(later);
    expect(await db.audit.list({ organizationIds: [organization.id] }, { limit: 20 })).toHaveLength(
      updates.length + 4,
    );
  });

  it('signs a returning member in without a transaction when nothing but the sign-in time changes', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const email = `steady@${domain}`;
    const identity = oidcIdentity(connection, email, { claims: { email, name: 'Steady' } });
    let transactions = 0;
    const counting: Database = {
      ...db,
      transaction: (work) => {
        transactions += 1;
        return db.transaction(work);
      },
    };
    const later = new Date(AT.getTime() + 60_000);
    const first = await createSsoSignIn(counting, { now: () => AT }).signIn(identity);
    expect(transactions).toBe(1);
    const again = await createSsoSignIn(counting, { now: () => later }).signIn(identity);
    expect(again).toEqual({ ...first, created: { user: false, membership: false } });
    expect(transactions).toBe(1);
    expect(await db.identities.find(connection.id, identity.subject)).toMatchObject({ lastLoginAt: later });

    // A change at the IdP is written in a transaction, with its audit record.
    await createSsoSignIn(counting, { now: () => later }).signIn({
      ...identity,
      claims: { email, name: 'Steady Hand' },
    });
    expect(transactions).toBe(2);
    expect((await db.users.findByEmail(email))?.name).toBe('Steady Hand');
  });

  it('leaves a new membership pending when an administrator must approve it', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db, {
      provisioning: {
        approval: 'org_admin',
        role_rules: [{ condition: "department == 'Hull'", assign_role: 'claims_adjuster' }],
      },
    });
    const identity = oidcIdentity(connection, `pending@${domain}`, { claims: { dept: 'Hull' } });
    const outcome = await signIn()(identity);
    expect(outcome).toMatchObject({ kind: 'pending_approval', organizationId: organization.id });
    if (outcome.kind !== 'pending_approval') throw new Error('unreachable');
    expect(await db.memberships.find(outcome.userId, organization.id)).toMatchObject({
      status: 'pending',
      roles: ['member', 'claims_adjuster'],
    });
    expect(await signIn()(identity)).toMatchObject({ kind: 'pending_approval', userId: outcome.userId });

    const membership = (await db.memberships.find(outcome.userId, organization.id))!;
    await db.memberships.update(membership.id, { status: 'active' });
    expect(await signIn()(identity)).toMatchObject({ kind: 'signed_in', userId: outcome.userId });
  });

  it('skips a rule role the organization no longer offers, and survives a rule set that does not compile', async () => {
    const db = database();
    const gone = await createTestOrganization(db, {
      provisioning: { role_rules: [{ condition: 'true', assign_role: 'deleted_role' }] },
    });
    const first = await signIn()(oidcIdentity(gone.connection, `a@${gone.domain}`));
    expect(first).toMatchObject({ kind: 'signed_in', warnings: [expect.stringContaining('deleted_role')] });
    if (first.kind !== 'signed_in') throw new Error('unreachable');
    expect((await db.memberships.find(first.userId, gone.organization.id))?.roles).toEqual(['member']);

    const broken = await createTestOrganization(db, {
      provisioning: {
        role_rules: [{ condition: "department == 'Hull' and", assign_role: 'claims_adjuster' }],
      },
    });
    const second = await signIn()(
      oidcIdentity(broken.connection, `b@${broken.domain}`, { claims: { dept: 'Hull' } }),
    );
    expect(second).toMatchObject({
      kind: 'signed_in',
      warnings: [expect.stringContaining('do not compile')],
    });
    if (second.kind !== 'signed_in') throw new Error('unreachable');
    expect((await db.memberships.find(second.userId, broken.organization.id))?.roles).toEqual(['member']);
  });

  it('gives one user to two first sign-ins of the same subject at once', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const identity = oidcIdentity(connection, `race@${domain}`);
    // Both transactions look the subject up before either writes: the race the retry is for.
    const bothLooked = barrier(2);
    let transactions = 0;
    const racing: Database = {
      ...db,
      transaction: (work) => {
        transactions += 1;
        return db.transaction((repos) => {
          const find: typeof repos.identities.find = async (...args) => {
            const found = await repos.identities.find(...args);
            await bothLooked();
            return found;
          };
          return work({ ...repos, identities: { ...repos.identities, find } });
        });
      },
    };
    const outcomes = await Promise.all([signIn(racing)(identity), signIn(racing)(identity)]);
    expect(transactions).toBe(3);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['signed_in', 'signed_in']);
    const userIds = new Set(outcomes.map((outcome) => (outcome.kind === 'signed_in' ? outcome.userId : '')));
    expect(userIds.size).toBe(1);
    const [userId] = [...userIds];
    expect((await db.identities.listForUser(userId!)).map((link) => link.subject)).toEqual([
      identity.subject,
    ]);
    const members = await db.memberships.list({ organizationIds: [organization.id] }, { limit: 10 });
    expect(members.map((member) => member.userId)).toEqual([userId]);
    expect(outcomes.filter((outcome) => outcome.kind === 'signed_in' && outcome.created.user)).toHaveLength(
      1,
    );
  });

  it('writes nothing when a step fails halfway', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const failing: Database = {
      ...db,
      transaction: (work) =>
        db.transaction((repos) =>
          work({
            ...repos,
            memberships: {
              ...repos.memberships,
              create: () => Promise.reject(new Error('disk full')),
            },
          }),
        ),
    };
    const email = `half@${domain}`;
    const identity = oidcIdentity(connection, email);
    await expect(signIn(failing)(identity)).rejects.toThrow('disk full');
    expect(await db.users.findByEmail(email)).toBeUndefined();
    expect(await db.identities.find(connection.id, identity.subject)).toBeUndefined();
    expect(await db.audit.list({ organizationIds: [organization.id] }, { limit: 5 })).toEqual([]);

    expect(await signIn()(identity)).toMatchObject({ kind: 'signed_in', created: { user: true } });
  });
});
