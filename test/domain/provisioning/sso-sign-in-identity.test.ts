import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createSsoSignIn, type SsoSignInOutcome } from '../../../src/domain/provisioning/sso-sign-in.js';
import { addConnection, createTestOrganization, oidcIdentity, useTestDatabase } from './sso-fixtures.js';

function userIdOf(outcome: SsoSignInOutcome): string {
  if (outcome.kind !== 'signed_in') throw new Error(`signed in expected: ${JSON.stringify(outcome)}`);
  return outcome.userId;
}

describe('SSO sign-in: identities are keyed by connection and subject', () => {
  const database = useTestDatabase();
  const signIn = () => createSsoSignIn(database()).signIn;

  it('keeps the same user when the email changes at the IdP, and moves the user to the new address', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const identity = oidcIdentity(connection, `old@${domain}`);
    const userId = userIdOf(await signIn()(identity));

    const renamed = { ...identity, email: `new@${domain}`, claims: { email: `new@${domain}` } };
    expect(userIdOf(await signIn()(renamed))).toBe(userId);
    expect((await db.users.findById(userId))?.email).toBe(`new@${domain}`);
    expect(await db.users.findByEmail(`old@${domain}`)).toBeUndefined();
  });

  it('keeps the old address (and warns) when the new one belongs to another user', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const identity = oidcIdentity(connection, `first@${domain}`);
    const userId = userIdOf(await signIn()(identity));
    const other = userIdOf(await signIn()(oidcIdentity(connection, `taken@${domain}`)));

    const clash = { ...identity, email: `taken@${domain}`, claims: { email: `taken@${domain}` } };
    const outcome = await signIn()(clash);
    expect(outcome).toMatchObject({
      kind: 'signed_in',
      userId,
      warnings: [expect.stringContaining('keeps email')],
    });
    expect((await db.users.findById(userId))?.email).toBe(`first@${domain}`);
    expect((await db.users.findById(other))?.email).toBe(`taken@${domain}`);
  });

  it('links another connection of the same organization to the user with that email', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const second = await addConnection(db, organization.id, { connectionType: 'saml' });
    const email = `both@${domain}`;
    const userId = userIdOf(await signIn()(oidcIdentity(connection, email)));

    const viaSaml = oidcIdentity(second, email, { subject: `saml-${randomUUID()}` });
    expect(await signIn()(viaSaml)).toMatchObject({
      kind: 'signed_in',
      userId,
      created: { user: false, membership: false },
    });
    expect((await db.identities.listForUser(userId)).map((link) => link.connectionId)).toEqual([
      connection.id,
      second.id,
    ]);
    const links = await db.audit.list(
      { organizationIds: [organization.id], action: 'identity.link' },
      { limit: 5 },
    );
    expect(links).toHaveLength(2);
  });

  it('refuses a second subject of the same connection asserting a linked user’s email', async () => {
    const db = database();
    const { connection, domain } = await createTestOrganization(db);
    const email = `reused@${domain}`;
    const userId = userIdOf(await signIn()(oidcIdentity(connection, email)));

    const newcomer = oidcIdentity(connection, email);
    expect(await signIn()(newcomer)).toMatchObject({ kind: 'refused', code: 'identity_conflict' });
    expect(await db.identities.find(connection.id, newcomer.subject)).toBeUndefined();
    expect(await db.identities.listForUser(userId)).toHaveLength(1);
  });

  it('links an existing local account with that email, keeping its password', async () => {
    const db = database();
    const { organization, connection, domain } = await createTestOrganization(db);
    const local = await db.users.create({
      id: `usr_${randomUUID()}`,
      email: `local@${domain}`,
      emailVerified: false,
      name: 'Local',
      passwordHash: '$argon2id$placeholder',
      managedBy: null,
    });
    const outcome = await signIn()(
      oidcIdentity(connection, `LOCAL@${domain}`, { claims: { name: 'Local Person' } }),
    );
    expect(outcome).toMatchObject({
      kind: 'signed_in',
      userId: local.id,
      created: { user: false, membership: true },
    });
    expect(await db.users.findById(local.id)).toMatchObject({
      emailVerified: true,
      name: 'Local Person',
      passwordHash: '$argon2id$placeholder',
    });
    const updates = await db.audit.list(
      { organizationIds: [organization.id], action: 'user.update' },
      { limit: 5 },
    );
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0])).not.toContain('placeholder');
  });
});
