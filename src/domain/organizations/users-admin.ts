import type { PasswordHasher } from '../../lib/crypto/password.js';
import { emailDomain, normalizeEmail } from '../../lib/email.js';
import { coveringPatterns } from './domain-names.js';
import { newId } from '../../lib/ids.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import type { Database, Repositories, UserRecord } from '../ports/repositories.js';
import type { PageRequest } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { insertMembership } from './memberships-admin.js';
import { recordChange, visibleIds, visibleOrganization, visibleUser } from './tenancy-scope.js';
import type { UserCreate, UserUpdate } from './user-input.js';

/** A user as admins see it: never the password hash, only whether there is one. */
export type UserView = Omit<UserRecord, 'passwordHash'> & { hasPassword: boolean };
const view = ({ passwordHash, ...rest }: UserRecord): UserView => ({ ...rest, hasPassword: !!passwordHash });

/**
 * A user account spans organizations, so only environment admins change or delete one; a
 * delegated admin who can see the user is told so (403), one who cannot gets 404.
 */
async function assertEnvironmentAdmin(db: Database, principal: AdminPrincipal, ref: string): Promise<void> {
  if (principal.scope.kind === 'environment') return;
  await visibleUser(db, principal, ref);
  throw new ForbiddenError('only environment admins may change or delete a user; manage memberships instead');
}

/** Local user accounts; every write is scoped to the principal and recorded. */
export function createUsersAdmin(db: Database, hasher: PasswordHasher) {
  return {
    async list(principal: AdminPrincipal, filter: { email?: string | undefined }, page: PageRequest) {
      const organizationIds = await visibleIds(db, principal);
      const email = filter.email === undefined ? undefined : normalizeEmail(filter.email);
      return (await db.users.search({ email, organizationIds }, page)).map(view);
    },

    get: async (principal: AdminPrincipal, ref: string) => view(await visibleUser(db, principal, ref)),

    /** A delegated admin's user joins one of its organizations in the same transaction. */
    async create(principal: AdminPrincipal, input: UserCreate): Promise<UserView> {
      if (!input.organization && principal.scope.kind === 'organization') {
        throw new ForbiddenError('a delegated admin can only create users in its organizations');
      }
      // Hashed before the transaction: argon2 takes tens of milliseconds a row lock need not wait for.
      const passwordHash = input.password === undefined ? null : await hasher.hash(input.password);
      return db.transaction(async (repos) => {
        const organization = input.organization
          ? await visibleOrganization(repos, principal, input.organization)
          : undefined;
        const email = normalizeEmail(input.email);
        if (input.email_verified) await assertMayVouchFor(repos, principal, email);
        if (await repos.users.findByEmail(email)) {
          throw new ConflictError(`a user with email ${email} exists`, 'email_taken');
        }
        const user = await repos.users.create({
          id: newId('usr'),
          email,
          emailVerified: input.email_verified,
          name: input.name ?? null,
          passwordHash,
          managedBy: null,
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization?.id ?? null,
          action: 'user.create',
          targetType: 'user',
          targetId: user.id,
          before: null,
          after: view(user),
        });
        if (organization) {
          await insertMembership(repos, principal, organization, user.id, {
            roles: input.roles,
            status: 'active',
          });
        }
        return view(user);
      });
    },

    async update(principal: AdminPrincipal, ref: string, changes: UserUpdate): Promise<UserView> {
      await assertEnvironmentAdmin(db, principal, ref);
      const passwordHash = changes.password ? await hasher.hash(changes.password) : changes.password;
      return db.transaction(async (repos) => {
        const before = await visibleUser(repos, principal, ref);
        const after = await repos.users.update(before.id, {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.email_verified !== undefined ? { emailVerified: changes.email_verified } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        });
        await recordChange(repos, principal.actor, {
          organizationId: null,
          action: 'user.update',
          targetType: 'user',
          targetId: before.id,
          before: view(before),
          after: view(after),
        });
        return view(after);
      });
    },

    /** Takes the user's memberships with it (the database cascades them). */
    async remove(principal: AdminPrincipal, ref: string): Promise<void> {
      await assertEnvironmentAdmin(db, principal, ref);
      await db.transaction(async (repos) => {
        const before = await visibleUser(repos, principal, ref);
        // Recorded first: the user.deleted event goes to the organizations of the memberships
        // the delete is about to cascade away.
        await recordChange(repos, principal.actor, {
          organizationId: null,
          action: 'user.delete',
          targetType: 'user',
          targetId: before.id,
          before: view(before),
          after: null,
        });
        await repos.users.delete(before.id);
      });
    },
  };
}
export type UsersAdmin = ReturnType<typeof createUsersAdmin>;

/**
 * A verified email opens doors elsewhere (auto-join to the organization that verified its
 * domain), so a delegated admin may only vouch for emails in a domain its own subtree verified:
 * otherwise an admin of A could mint a "verified" user of B and walk into B.
 */
async function assertMayVouchFor(repos: Repositories, principal: AdminPrincipal, email: string) {
  const ids = await visibleIds(repos, principal);
  if (!ids) return;
  const claims = await repos.domains.findVerifiedAmong(coveringPatterns(emailDomain(email)));
  if (!claims.some((claim) => ids.includes(claim.organizationId))) {
    throw new ForbiddenError(
      'a delegated admin may only mark emails verified in a domain its organization has verified',
    );
  }
}
