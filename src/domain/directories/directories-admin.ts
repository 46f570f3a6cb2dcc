import { digestBearerToken, newBearerToken } from '../../lib/crypto/bearer-token.js';
import { newId } from '../../lib/ids.js';
import { assertFeature } from '../entitlements/entitlement-checks.js';
import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { assertRolesOffered } from '../organizations/role-holders.js';
import { recordChange, visibleIds, visibleOrganization } from '../organizations/tenancy-scope.js';
import type { DirectoryRecord } from '../ports/directories.js';
import type { Database, Repositories } from '../ports/repositories.js';
import { resyncRemappedRoles } from './directory-access.js';
import type { DirectoryCreate, DirectoryUpdate } from './directory-input.js';

const TOKEN_PREFIX = 'gh_scim_';
/** Enough of the token to tell two apart in a list; 256 random bits stay secret. */
const HINT_LENGTH = TOKEN_PREFIX.length + 4;

/** A directory as lists, responses and audit records show it: never the token's digest. */
export type DirectoryView = Omit<DirectoryRecord, 'tokenHash'>;
export const directoryView = ({ tokenHash: _hidden, ...rest }: DirectoryRecord): DirectoryView => rest;

/** A new bearer token for a directory: the token (shown once) and what is stored of it. */
export function issueDirectoryToken() {
  const token = newBearerToken(TOKEN_PREFIX);
  return { token, tokenHash: digestBearerToken(token), tokenHint: token.slice(0, HINT_LENGTH) };
}

/** A token the operator chose carries no prefix of ours: four characters tell two apart, and give little away. */
const SUPPLIED_HINT_LENGTH = 4;

/** What is stored of a token the operator supplies (the declarative file): its digest and a hint. */
export function suppliedDirectoryToken(token: string) {
  return { tokenHash: digestBearerToken(token), tokenHint: token.slice(0, SUPPLIED_HINT_LENGTH) };
}

async function assertMappedRolesOffered(
  repos: Repositories,
  organizationId: string,
  map: Record<string, string>,
) {
  const chain = (await repos.organizations.chain(organizationId)).map((org) => org.id);
  await assertRolesOffered(repos, chain, [...new Set(Object.values(map))], 'group_role_map');
}

/**
 * SCIM directories of organizations: create one (its token is shown once), rotate the token
 * (the old one stops working at once), change the group-to-role map, delete. Scoped like every
 * admin write; each recorded without the token.
 */
export function createDirectoriesAdmin(db: Database) {
  const visibleDirectory = async (
    repos: Repositories,
    principal: AdminPrincipal,
    orgRef: string,
    key: string,
  ) => {
    const organization = await visibleOrganization(repos, principal, orgRef);
    const directory = await repos.directories.find(organization.id, key);
    if (!directory) throw new NotFoundError(`directory ${key}`);
    return directory;
  };

  return {
    create(principal: AdminPrincipal, orgRef: string, input: DirectoryCreate) {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        await assertFeature(repos, organization.id, 'scim');
        await assertMappedRolesOffered(repos, organization.id, input.group_role_map);
        const { token, tokenHash, tokenHint } = issueDirectoryToken();
        const directory = await repos.directories.create({
          id: newId('dir'),
          organizationId: organization.id,
          key: input.key,
          tokenHash,
          tokenHint,
          groupRoleMap: input.group_role_map,
          managedBy: null,
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'directory.create',
          targetType: 'directory',
          targetId: directory.id,
          before: null,
          after: directoryView(directory),
        });
        return { directory: directoryView(directory), token };
      });
    },

    async list(principal: AdminPrincipal, orgRef?: string): Promise<DirectoryView[]> {
      if (orgRef) {
        const organization = await visibleOrganization(db, principal, orgRef);
        return (await db.directories.listFor([organization.id])).map(directoryView);
      }
      return (await db.directories.listFor(await visibleIds(db, principal))).map(directoryView);
    },

    async get(principal: AdminPrincipal, orgRef: string, key: string): Promise<DirectoryView> {
      return directoryView(await visibleDirectory(db, principal, orgRef, key));
    },

    /** A new token; the old one is refused from this moment on. */
    rotateToken(principal: AdminPrincipal, orgRef: string, key: string) {
      return db.transaction(async (repos) => {
        const before = await visibleDirectory(repos, principal, orgRef, key);
        const { token, tokenHash, tokenHint } = issueDirectoryToken();
        const after = await repos.directories.update(before.id, {
          tokenHash,
          tokenHint,
          tokenRotatedAt: new Date(),
        });
        await recordChange(repos, principal.actor, {
          organizationId: after.organizationId,
          action: 'directory.rotate_token',
          targetType: 'directory',
          targetId: after.id,
          before: directoryView(before),
          after: directoryView(after),
        });
        return { directory: directoryView(after), token };
      });
    },

    update(principal: AdminPrincipal, orgRef: string, key: string, input: DirectoryUpdate) {
      return db.transaction(async (repos) => {
        const before = await visibleDirectory(repos, principal, orgRef, key);
        await assertMappedRolesOffered(repos, before.organizationId, input.group_role_map);
        const after = await repos.directories.update(before.id, { groupRoleMap: input.group_role_map });
        await resyncRemappedRoles(repos, principal.actor, before, after);
        await recordChange(repos, principal.actor, {
          organizationId: after.organizationId,
          action: 'directory.update',
          targetType: 'directory',
          targetId: after.id,
          before: directoryView(before),
          after: directoryView(after),
        });
        return directoryView(after);
      });
    },

    /** The directory and what it pushed go; the users and their memberships stay. */
    delete(principal: AdminPrincipal, orgRef: string, key: string): Promise<void> {
      return db.transaction(async (repos) => {
        const before = await visibleDirectory(repos, principal, orgRef, key);
        await repos.directories.delete(before.id);
        await recordChange(repos, principal.actor, {
          organizationId: before.organizationId,
          action: 'directory.delete',
          targetType: 'directory',
          targetId: before.id,
          before: directoryView(before),
          after: null,
        });
      });
    },
  };
}
export type DirectoriesAdmin = ReturnType<typeof createDirectoriesAdmin>;
