import { normalizeEmail } from '../../lib/email.js';
import { randomUUID } from 'node:crypto';
import { recordChange } from '../organizations/tenancy-scope.js';
import type {
  DirectoryRecord,
  DirectoryUserFields,
  DirectoryUserRecord,
  ScimPage,
  ScimQuery,
} from '../ports/directories.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';
import { applyPatch, validatePatchRequest } from '../scim/expressions/index.js';
import {
  USER_RESOURCE,
  USER_SCHEMA,
  etagForVersion,
  ifMatchSatisfied,
  isJsonObject,
  parseUserInput,
  scimErrors,
  type JsonObject,
  type UserInput,
} from '../scim/model/index.js';
import { syncDirectoryAccess, type AccessChange } from './directory-access.js';
import type { ListCursors } from './list-cursors.js';
import { importNewUsers } from './bulk-user-import.js';
import { directoryPerson, updatedPerson } from './directory-person.js';

/** A stored user and the groups it belongs to: what a SCIM response shows. */
export interface DirectoryUserView {
  record: DirectoryUserRecord;
  groups: { id: string; displayName: string }[];
}

export interface DirectorySyncDeps {
  /**
   * Ends the user's grants, tokens and sessions for the organization; called after the change
   * committed, before the SCIM response goes out.
   */
  revokeAccess(userId: string, organizationId: string): Promise<void>;
  /** Totals and page boundaries learnt by earlier pages; absent: every page counts and offsets. */
  cursors?: ListCursors;
}

export const directoryActor = (directory: DirectoryRecord): Actor => ({
  type: 'directory',
  id: directory.id,
});

function emailValues(emails: unknown): string[] {
  const values = (Array.isArray(emails) ? emails : []).flatMap((email) =>
    isJsonObject(email) && typeof email.value === 'string' ? [normalizeEmail(email.value)] : [],
  );
  return [...new Set(values)];
}

export function fieldsOf(input: UserInput, active: boolean): DirectoryUserFields {
  const { resource } = input;
  return {
    userName: input.userName,
    userNameKey: input.userNameNormalised,
    externalId: input.externalId,
    emails: emailValues(resource.emails),
    primaryEmail: input.primaryEmail,
    displayName: typeof resource.displayName === 'string' ? resource.displayName : null,
    active,
    resource,
  };
}

/** RFC 7644 §3.14: a write carrying If-Match goes ahead only on the version the client saw. */
function assertVersion(record: DirectoryUserRecord, ifMatch: string | undefined) {
  if (!ifMatchSatisfied(ifMatch, etagForVersion(record.version))) {
    throw scimErrors.preconditionFailed('The user changed since it was read: read it again.');
  }
}

const notFound = (id: string) => scimErrors.notFound(`User ${id} not found.`);

/**
 * SCIM Users of one directory (RFC 7644 §3.3-§3.6): each write changes the stored resource, the
 * Gatehouse user it stands for and the membership in the directory's organization in one
 * transaction; access taken away is revoked once it committed.
 */
export function createDirectoryUsers(db: Database, deps: DirectorySyncDeps) {
  const organizationOf = async (repos: Repositories, directory: DirectoryRecord) => {
    const organization = await repos.organizations.find(directory.organizationId);
    // Directories are deleted with their organization (ON DELETE CASCADE).
    if (!organization) throw new Error(`directory ${directory.id} names missing organization`);
    return organization;
  };
  const viewOf = async (repos: Repositories, record: DirectoryUserRecord): Promise<DirectoryUserView> => ({
    record,
    groups: (await repos.directoryUsers.groupsOf([record.id])).get(record.id) ?? [],
  });
  const audit = (
    repos: Repositories,
    directory: DirectoryRecord,
    action: string,
    before: DirectoryUserRecord | null,
    after: DirectoryUserRecord | null,
  ) =>
    recordChange(repos, directoryActor(directory), {
      organizationId: directory.organizationId,
      action,
      targetType: 'directory_user',
      targetId: (after ?? before)!.id,
      before,
      after,
    });
  /** Runs a write, then revokes what it took away (outside the transaction: it reaches Redis). */
  /** After a committed write (not before: a page read meanwhile must not be kept as current). */
  const touched = (directoryId: string) => deps.cursors?.touch(directoryId) ?? Promise.resolve();
  const write = async <T>(
    work: (repos: Repositories) => Promise<{ result: T; access: AccessChange; directoryId: string }>,
  ) => {
    const result = await db.transaction(work);
    await touched(result.directoryId);
    if (result.access.revoked) await deps.revokeAccess(result.access.userId, result.access.organizationId);
    return result.result;
  };

  /** The stored user after a replace or a patch produced `input`. */
  const replaceWith = (directory: DirectoryRecord, current: DirectoryUserRecord, input: UserInput) =>
    write(async (repos) => {
      const organization = await organizationOf(repos, directory);
      await updatedPerson(repos, directoryActor(directory), organization, current.userId, input);
      const after = await repos.directoryUsers.update(
        directory.id,
        current.id,
        fieldsOf(input, input.active ?? current.active),
        current.version,
      );
      if (!after)
        throw scimErrors.preconditionFailed('The user changed while this request ran: read it again.');
      await audit(repos, directory, 'directory_user.update', current, after);
      const access = await syncDirectoryAccess(
        repos,
        directoryActor(directory),
        directory,
        organization,
        after,
      );
      return { result: await viewOf(repos, after), access, directoryId: directory.id };
    });

  const current = async (directory: DirectoryRecord, id: string, ifMatch?: string) => {
    const record = await db.directoryUsers.find(directory.id, id);
    if (!record) throw notFound(id);
    assertVersion(record, ifMatch);
    return record;
  };

  return {
    async get(directory: DirectoryRecord, id: string): Promise<DirectoryUserView> {
      const record = await db.directoryUsers.find(directory.id, id);
      if (!record) throw notFound(id);
      return viewOf(db, record);
    },

    async list(directory: DirectoryRecord, query: ScimQuery): Promise<ScimPage<DirectoryUserView>> {
      const learnt = await deps.cursors?.hints(directory.id, 'users', query);
      const page = await db.directoryUsers.query(directory.id, query, learnt?.hints);
      if (learnt) {
        const ids = page.items.map((record) => record.id);
        await deps.cursors!.remember(learnt.key, query, { totalResults: page.totalResults, ids });
      }
      const groups = await db.directoryUsers.groupsOf(page.items.map((record) => record.id));
      return {
        totalResults: page.totalResults,
        items: page.items.map((record) => ({ record, groups: groups.get(record.id) ?? [] })),
      };
    },

    create(directory: DirectoryRecord, body: unknown): Promise<DirectoryUserView> {
      const input = parseUserInput(body, 'create');
      return write(async (repos) => {
        const organization = await organizationOf(repos, directory);
        const person = await directoryPerson(repos, directoryActor(directory), organization, input);
        const record = await repos.directoryUsers.create({
          id: randomUUID(),
          directoryId: directory.id,
          userId: person.id,
          ...fieldsOf(input, input.active),
        });
        await audit(repos, directory, 'directory_user.create', null, record);
        const access = await syncDirectoryAccess(
          repos,
          directoryActor(directory),
          directory,
          organization,
          record,
        );
        return { result: await viewOf(repos, record), access, directoryId: directory.id };
      });
    },

    /** Creates of people Gatehouse does not know yet, written together (bulk-user-import.ts). */
    importMany: (directory: DirectoryRecord, bodies: readonly unknown[]) =>
      importNewUsers(db, directory, bodies),

    /** PUT: the body replaces the resource (Okta); `active` left out keeps what is stored. */
    async replace(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string) {
      const record = await current(directory, id, ifMatch);
      return replaceWith(directory, record, parseUserInput(body, 'replace'));
    },

    /** PATCH (RFC 7644 §3.5.2): the operations apply to the resource as the client reads it. */
    async patch(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string) {
      const operations = validatePatchRequest(body);
      const record = await current(directory, id, ifMatch);
      const base: JsonObject = {
        schemas: [USER_SCHEMA],
        ...record.resource,
        id: record.id,
        active: record.active,
      };
      const patched = applyPatch(base, operations, { resourceType: USER_RESOURCE });
      return replaceWith(directory, record, parseUserInput(patched, 'replace'));
    },

    /** DELETE: the SCIM user goes; the person stays, with the membership suspended (access revoked). */
    async remove(directory: DirectoryRecord, id: string, ifMatch?: string): Promise<void> {
      const record = await current(directory, id, ifMatch);
      await write(async (repos) => {
        const organization = await organizationOf(repos, directory);
        const access = await syncDirectoryAccess(
          repos,
          directoryActor(directory),
          directory,
          organization,
          record,
          {
            removed: true,
          },
        );
        if (!(await repos.directoryUsers.delete(directory.id, id))) throw notFound(id);
        await audit(repos, directory, 'directory_user.delete', record, null);
        return { result: undefined, access, directoryId: directory.id };
      });
    },
  };
}
export type DirectoryUsers = ReturnType<typeof createDirectoryUsers>;
