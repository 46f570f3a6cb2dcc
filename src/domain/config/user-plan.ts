import type { PasswordHasher } from '../../lib/crypto/password.js';
import { newId } from '../../lib/ids.js';
import type { Repositories, UserRecord } from '../ports/repositories.js';
import { CONFIG_OWNER, type DesiredUser, type PlannedChange } from './desired-state.js';
import type { OrganizationPlanContext } from './organization-slots.js';
import { recordChange } from '../organizations/tenancy-scope.js';

/**
 * Compares the file's local accounts with the stored users, by email. The file is the truth for
 * the accounts it lists: a user without password or password_hash has no local password.
 */
export async function planUsers(
  repos: Repositories,
  desired: DesiredUser[],
  hasher: PasswordHasher,
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const owned = await repos.users.list({ managedBy: CONFIG_OWNER });
  const stored: (UserRecord | undefined)[] = [];
  for (const user of desired) {
    stored.push(owned.find((row) => row.email === user.email) ?? (await repos.users.findByEmail(user.email)));
  }
  // argon2 runs on the libuv pool: verify all passwords at once rather than one after another.
  const changes = await Promise.all(
    desired.map((user, index) => compareUser(stored[index], user, hasher, context)),
  );
  const wanted = new Set(desired.map((user) => user.email));
  for (const stale of owned.filter((row) => !wanted.has(row.email))) {
    changes.push({
      kind: 'user',
      id: stale.email,
      action: 'delete',
      changes: [],
      write: async (tx) => {
        // Recorded first: the user.deleted event goes to the user's organizations, whose
        // memberships the delete cascades away.
        await auditUser(tx, context, 'delete', stale, null);
        await tx.users.delete(stale.id);
      },
    });
  }
  return changes;
}

async function compareUser(
  stored: UserRecord | undefined,
  user: DesiredUser,
  hasher: PasswordHasher,
  context: OrganizationPlanContext,
): Promise<PlannedChange> {
  let hashed: Promise<string | null> | undefined;
  const hashFor = () => (hashed ??= hashPassword(user, hasher));
  if (!stored) {
    const write = async (tx: Repositories) => {
      const passwordHash = await hashFor();
      const after = await tx.users.create({
        id: newId('usr'),
        email: user.email,
        emailVerified: false,
        name: user.name ?? null,
        passwordHash,
        managedBy: CONFIG_OWNER,
      });
      await auditUser(tx, context, 'create', null, after);
    };
    return { kind: 'user', id: user.email, action: 'create', changes: [], prepare: hashFor, write };
  }
  const changes: string[] = [];
  const passwordChanged = await passwordDiffers(stored.passwordHash, user, hasher);
  if (passwordChanged) changes.push('password');
  if (stored.name !== (user.name ?? null)) changes.push('name');
  if (stored.managedBy !== CONFIG_OWNER) changes.push('managed_by');
  if (changes.length === 0) return { kind: 'user', id: user.email, action: 'unchanged', changes };
  const write = async (tx: Repositories) => {
    const passwordHash = passwordChanged ? { passwordHash: await hashFor() } : {};
    const after = await tx.users.update(stored.id, {
      name: user.name ?? null,
      managedBy: CONFIG_OWNER,
      ...passwordHash,
    });
    await auditUser(tx, context, 'update', stored, after);
  };
  return {
    kind: 'user',
    id: user.email,
    action: 'update',
    changes,
    write,
    ...(passwordChanged ? { prepare: hashFor } : {}),
  };
}

async function hashPassword(user: DesiredUser, hasher: PasswordHasher): Promise<string | null> {
  if (user.password_hash !== undefined) return user.password_hash;
  return user.password === undefined ? null : hasher.hash(user.password);
}

/** A plain password is checked against the stored hash, so re-applying the same file is a no-op. */
async function passwordDiffers(
  storedHash: string | null,
  user: DesiredUser,
  hasher: PasswordHasher,
): Promise<boolean> {
  if (user.password_hash !== undefined) return storedHash !== user.password_hash;
  if (user.password === undefined) return storedHash !== null;
  return storedHash === null || !(await hasher.verify(storedHash, user.password));
}

/** The audit record never holds a password hash; `passwordSet` says whether there is one. */
function auditUser(
  tx: Repositories,
  context: OrganizationPlanContext,
  verb: 'create' | 'update' | 'delete',
  before: UserRecord | null,
  after: UserRecord | null,
): Promise<void> {
  const shown = (user: UserRecord | null) =>
    user && {
      id: user.id,
      email: user.email,
      name: user.name,
      passwordSet: user.passwordHash !== null,
      managedBy: user.managedBy,
    };
  return recordChange(tx, context.actor, {
    organizationId: null,
    action: `user.${verb}`,
    targetType: 'user',
    targetId: (after ?? before)?.id ?? '',
    before: shown(before),
    after: shown(after),
  });
}
