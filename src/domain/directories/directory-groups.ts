import { randomUUID } from 'node:crypto';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { DirectoryGroupRecord, DirectoryRecord, ScimPage, ScimQuery } from '../ports/directories.js';
import type { Database, Repositories } from '../ports/repositories.js';
import { applyPatch, validatePatchRequest } from '../scim/expressions/index.js';
import {
  GROUP_RESOURCE,
  GROUP_SCHEMA,
  etagForVersion,
  ifMatchSatisfied,
  parseGroupInput,
  scimErrors,
  type GroupInput,
  type JsonObject,
} from '../scim/model/index.js';
import { syncDirectoryAccess } from './directory-access.js';
import type { ListCursors } from './list-cursors.js';
import { directoryActor } from './directory-users.js';

export interface DirectoryGroupView {
  record: DirectoryGroupRecord;
  members: { id: string; userName: string }[];
}

const notFound = (id: string) => scimErrors.notFound(`Group ${id} not found.`);

const fieldsOf = (input: GroupInput) => ({
  displayName: input.displayName,
  displayNameKey: input.displayNameNormalised,
  externalId: input.externalId,
  // Members live in their own table (the source of truth for roles and `groups`).
  resource: Object.fromEntries(Object.entries(input.resource).filter(([key]) => key !== 'members')),
});

/**
 * SCIM Groups of one directory. Members are the directory's own users (ids from elsewhere are
 * not members here); a change to who is in a group named in the group-to-role map moves those
 * users' roles in the same transaction.
 */
export function createDirectoryGroups(db: Database, deps: { cursors?: ListCursors } = {}) {
  const touched = (directoryId: string) => deps.cursors?.touch(directoryId) ?? Promise.resolve();
  /** A write, then a new generation of the directory's lists (list-cursors.ts) once it committed. */
  const afterWrite = async <T>(directory: DirectoryRecord, work: (repos: Repositories) => Promise<T>) => {
    const result = await db.transaction(work);
    await touched(directory.id);
    return result;
  };
  const viewOf = async (repos: Repositories, record: DirectoryGroupRecord): Promise<DirectoryGroupView> => ({
    record,
    members: (await repos.directoryGroups.members([record.id])).get(record.id) ?? [],
  });
  const mapped = (directory: DirectoryRecord, ...names: string[]) => {
    const keys = new Set(Object.keys(directory.groupRoleMap).map((name) => name.toLowerCase()));
    return names.some((name) => keys.has(name.toLowerCase()));
  };
  /** The roles of users who joined or left a mapped group (or all its members, when it was renamed). */
  const resyncRoles = async (repos: Repositories, directory: DirectoryRecord, userIds: Iterable<string>) => {
    const organization = await repos.organizations.find(directory.organizationId);
    if (!organization) return;
    for (const id of new Set(userIds)) {
      const user = await repos.directoryUsers.find(directory.id, id);
      if (user) await syncDirectoryAccess(repos, directoryActor(directory), directory, organization, user);
    }
  };
  const audit = (
    repos: Repositories,
    directory: DirectoryRecord,
    action: string,
    before: DirectoryGroupView | null,
    after: DirectoryGroupView | null,
  ) => {
    const summary = (view: DirectoryGroupView | null) =>
      view && { ...view.record, members: view.members.map((member) => member.id) };
    return recordChange(repos, directoryActor(directory), {
      organizationId: directory.organizationId,
      action,
      targetType: 'directory_group',
      targetId: (after ?? before)!.record.id,
      before: summary(before),
      after: summary(after),
    });
  };
  /** Membership changes recorded one by one, so event consumers see who joined and who left. */
  const auditMembers = async (
    repos: Repositories,
    directory: DirectoryRecord,
    groupId: string,
    before: readonly string[],
    after: readonly string[],
  ) => {
    const entry = (action: string, userId: string) =>
      recordChange(repos, directoryActor(directory), {
        organizationId: directory.organizationId,
        action,
        targetType: 'directory_group',
        targetId: groupId,
        before: null,
        after: { group_id: groupId, directory_user_id: userId },
      });
    for (const id of after) if (!before.includes(id)) await entry('group.member_add', id);
    for (const id of before) if (!after.includes(id)) await entry('group.member_remove', id);
  };

  const replaceWith = (directory: DirectoryRecord, current: DirectoryGroupView, input: GroupInput) =>
    afterWrite(directory, async (repos) => {
      const after = await repos.directoryGroups.update(
        directory.id,
        current.record.id,
        fieldsOf(input),
        current.record.version,
      );
      if (!after)
        throw scimErrors.preconditionFailed('The group changed while this request ran: read it again.');
      await repos.directoryGroups.replaceMembers(directory.id, after.id, input.memberIds);
      const view = await viewOf(repos, after);
      await audit(repos, directory, 'group.update', current, view);
      const before = current.members.map((member) => member.id);
      const now = view.members.map((member) => member.id);
      await auditMembers(repos, directory, after.id, before, now);
      if (mapped(directory, current.record.displayName, after.displayName)) {
        const renamed = current.record.displayNameKey !== after.displayNameKey;
        const changed = renamed ? [...before, ...now] : symmetricDifference(before, now);
        await resyncRoles(repos, directory, changed);
      }
      return view;
    });

  const current = async (directory: DirectoryRecord, id: string, ifMatch?: string) => {
    const record = await db.directoryGroups.find(directory.id, id);
    if (!record) throw notFound(id);
    if (!ifMatchSatisfied(ifMatch, etagForVersion(record.version))) {
      throw scimErrors.preconditionFailed('The group changed since it was read: read it again.');
    }
    return viewOf(db, record);
  };

  return {
    async get(directory: DirectoryRecord, id: string): Promise<DirectoryGroupView> {
      const record = await db.directoryGroups.find(directory.id, id);
      if (!record) throw notFound(id);
      return viewOf(db, record);
    },

    async list(
      directory: DirectoryRecord,
      query: ScimQuery,
      options: { members: boolean },
    ): Promise<ScimPage<DirectoryGroupView>> {
      const learnt = await deps.cursors?.hints(directory.id, 'groups', query);
      const page = await db.directoryGroups.query(directory.id, query, learnt?.hints);
      if (learnt) {
        const ids = page.items.map((record) => record.id);
        await deps.cursors!.remember(learnt.key, query, { totalResults: page.totalResults, ids });
      }
      // Members of big groups are costly: skipped when the client excluded them (Entra ID does).
      const members = options.members
        ? await db.directoryGroups.members(page.items.map((record) => record.id))
        : new Map<string, { id: string; userName: string }[]>();
      return {
        totalResults: page.totalResults,
        items: page.items.map((record) => ({ record, members: members.get(record.id) ?? [] })),
      };
    },

    create(directory: DirectoryRecord, body: unknown): Promise<DirectoryGroupView> {
      const input = parseGroupInput(body);
      return afterWrite(directory, async (repos) => {
        const record = await repos.directoryGroups.create({
          id: randomUUID(),
          directoryId: directory.id,
          ...fieldsOf(input),
        });
        await repos.directoryGroups.replaceMembers(directory.id, record.id, input.memberIds);
        const view = await viewOf(repos, record);
        await audit(repos, directory, 'group.create', null, view);
        const members = view.members.map((member) => member.id);
        await auditMembers(repos, directory, record.id, [], members);
        if (mapped(directory, record.displayName)) await resyncRoles(repos, directory, members);
        return view;
      });
    },

    async replace(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string) {
      const view = await current(directory, id, ifMatch);
      return replaceWith(directory, view, parseGroupInput(body));
    },

    /**
     * PATCH: members are given by value only; a client re-adding one under another `display`
     * (Okta) adds nothing, since members are read back from the table.
     */
    async patch(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string) {
      const operations = validatePatchRequest(body);
      const view = await current(directory, id, ifMatch);
      const base: JsonObject = {
        schemas: [GROUP_SCHEMA],
        ...view.record.resource,
        id: view.record.id,
        displayName: view.record.displayName,
        members: view.members.map((member) => ({ value: member.id })),
      };
      const patched = applyPatch(base, operations, { resourceType: GROUP_RESOURCE });
      return replaceWith(directory, view, parseGroupInput(patched));
    },

    async remove(directory: DirectoryRecord, id: string, ifMatch?: string): Promise<void> {
      const view = await current(directory, id, ifMatch);
      await afterWrite(directory, async (repos) => {
        if (!(await repos.directoryGroups.delete(directory.id, id))) throw notFound(id);
        await audit(repos, directory, 'group.delete', view, null);
        if (mapped(directory, view.record.displayName)) {
          await resyncRoles(
            repos,
            directory,
            view.members.map((member) => member.id),
          );
        }
      });
    },
  };
}
export type DirectoryGroups = ReturnType<typeof createDirectoryGroups>;

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  return [...a.filter((item) => !b.includes(item)), ...b.filter((item) => !a.includes(item))];
}
