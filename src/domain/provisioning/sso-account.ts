import { isDeepStrictEqual } from 'node:util';
import { newId } from '../../lib/ids.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { IdentityRecord } from '../ports/federation.js';
import type { Repositories, UserRecord } from '../ports/repositories.js';
import type { SignInContext } from './sign-in-context.js';

/**
 * Who an SSO sign-in is in Gatehouse. The key is always (connection, upstream subject): an IdP may
 * reassign an address, and a subject is what it promises never to reuse.
 * - `known`: the connection already links the subject.
 * - `linkable`: no link yet, but a user has exactly the asserted email. Linking is safe because
 *   the email was checked to lie under a domain the connection's organization holds the most
 *   specific verified claim on (asserted-email.ts): that organization controls the mailbox, so its
 *   IdP asserting the address proves as much as a verification mail would.
 * - `conflict`: that user is already linked to a different subject of this same connection: the
 *   IdP now gives the address to someone else (a reassigned mailbox). Joining the two would hand
 *   one person's account to another, so an administrator decides.
 * - `new`: nobody; just-in-time provisioning may create the user.
 */
export type SignInAccount =
  | { kind: 'known'; user: UserRecord; identity: IdentityRecord }
  | { kind: 'linkable'; user: UserRecord }
  | { kind: 'conflict' }
  | { kind: 'new' };

export async function findAccount(repos: Repositories, context: SignInContext): Promise<SignInAccount> {
  const identity = await repos.identities.find(context.connection.id, context.identity.subject);
  if (identity) {
    const user = await repos.users.findById(identity.userId);
    // Identities are deleted with their user (ON DELETE CASCADE): a dangling one is a broken database.
    if (!user) throw new Error(`identity ${identity.id} names missing user ${identity.userId}`);
    return { kind: 'known', user, identity };
  }
  const user = await repos.users.findByEmail(context.email);
  if (!user) return { kind: 'new' };
  const links = await repos.identities.listForUser(user.id);
  if (links.some((link) => link.connectionId === context.connection.id)) return { kind: 'conflict' };
  return { kind: 'linkable', user };
}

/** A new user: email verified by the IdP, no password, name and profile from the mapping. */
export async function createUser(repos: Repositories, context: SignInContext): Promise<UserRecord> {
  const user = await repos.users.create({
    id: newId('usr'),
    email: context.email,
    emailVerified: true,
    name: context.name ?? null,
    profile: context.profile,
    passwordHash: null,
    managedBy: null,
  });
  await recordUserChange(repos, context, null, user);
  return user;
}

/**
 * Brings an existing user up to date with what the IdP asserted: name and profile fields it sent
 * (fields it did not send are kept), and the email. An email that changed at the IdP moves the
 * user to the new address only when no other user has it; otherwise the user keeps the old one
 * (and signs in all the same: the subject decides who it is) and the operator is warned.
 */
export async function refreshUser(
  repos: Repositories,
  context: SignInContext,
  user: UserRecord,
): Promise<UserRecord> {
  let email = user.email;
  if (context.email !== user.email) {
    if (await repos.users.findByEmail(context.email)) {
      context.warnings.push(
        `user ${user.id} keeps email ${user.email}: the IdP now asserts ${context.email}, which another user has`,
      );
    } else email = context.email;
  }
  const changes = {
    email,
    emailVerified: user.emailVerified || email === context.email,
    name: context.name ?? user.name,
    profile: { ...user.profile, ...context.profile },
  };
  const unchanged = (Object.keys(changes) as Array<keyof typeof changes>).every((key) =>
    isDeepStrictEqual(changes[key], user[key]),
  );
  if (unchanged) return user;
  const after = await repos.users.update(user.id, changes);
  await recordUserChange(repos, context, user, after);
  return after;
}

/** Links the subject to the user (recorded: linking decides who can sign in as whom) or records the sign-in. */
export async function recordIdentity(
  repos: Repositories,
  context: SignInContext,
  userId: string,
  existing: IdentityRecord | undefined,
): Promise<void> {
  if (existing) {
    await repos.identities.touch(existing.id, context.attributes, context.at);
    return;
  }
  const identity = await repos.identities.create({
    id: newId('idn'),
    userId,
    connectionId: context.connection.id,
    subject: context.identity.subject,
    attributes: context.attributes,
    lastLoginAt: context.at,
  });
  await recordChange(repos, context.actor, {
    organizationId: context.organization.id,
    action: 'identity.link',
    targetType: 'identity',
    targetId: identity.id,
    before: null,
    // Who may sign in as whom; the attributes are profile data the identity row already keeps.
    after: { userId, connectionId: identity.connectionId, subject: identity.subject },
  });
}

async function recordUserChange(
  repos: Repositories,
  context: SignInContext,
  before: UserRecord | null,
  after: UserRecord,
): Promise<void> {
  // The audit log is read by administrators of many tenants: never a password hash.
  const view = ({ passwordHash, ...rest }: UserRecord) => ({ ...rest, hasPassword: passwordHash !== null });
  await recordChange(repos, context.actor, {
    organizationId: context.organization.id,
    action: before ? 'user.update' : 'user.create',
    targetType: 'user',
    targetId: after.id,
    before: before && view(before),
    after: view(after),
  });
}
