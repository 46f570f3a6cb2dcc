import type { DirectoryGroups } from '../../domain/directories/directory-groups.js';
import type { DirectoryUsers } from '../../domain/directories/directory-users.js';
import { scimGroup, scimUser } from '../../domain/directories/scim-representation.js';
import type { DirectoryRecord } from '../../domain/ports/directories.js';
import type { JsonObject } from '../../domain/scim/model/index.js';
import type { UserBatchImport } from './scim-bulk.js';

/** What a write to one resource answers: the representation and its ETag. */
export interface Written {
  resource: JsonObject;
  version: string;
}

/** One SCIM resource endpoint (`/Users`, `/Groups`), as both its routes and /Bulk drive it. */
export interface ScimEndpoint {
  create(directory: DirectoryRecord, body: unknown): Promise<Written>;
  replace(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string): Promise<Written>;
  patch(directory: DirectoryRecord, id: string, body: unknown, ifMatch?: string): Promise<Written>;
  remove(directory: DirectoryRecord, id: string, ifMatch?: string): Promise<void>;
}

const written = (resource: JsonObject): Written => ({
  resource,
  version: (resource.meta as { version: string }).version,
});

export function scimEndpoints(
  users: DirectoryUsers,
  groups: DirectoryGroups,
  baseUrl: (directory: DirectoryRecord) => string,
) {
  const user = (directory: DirectoryRecord) => (view: Awaited<ReturnType<DirectoryUsers['get']>>) =>
    written(scimUser(view.record, view.groups, baseUrl(directory)));
  const group = (directory: DirectoryRecord) => (view: Awaited<ReturnType<DirectoryGroups['get']>>) =>
    written(scimGroup(view.record, view.members, baseUrl(directory)));
  const Users: ScimEndpoint = {
    create: (directory, body) => users.create(directory, body).then(user(directory)),
    replace: (directory, id, body, ifMatch) =>
      users.replace(directory, id, body, ifMatch).then(user(directory)),
    patch: (directory, id, body, ifMatch) => users.patch(directory, id, body, ifMatch).then(user(directory)),
    remove: (directory, id, ifMatch) => users.remove(directory, id, ifMatch),
  };
  const Groups: ScimEndpoint = {
    create: (directory, body) => groups.create(directory, body).then(group(directory)),
    replace: (directory, id, body, ifMatch) =>
      groups.replace(directory, id, body, ifMatch).then(group(directory)),
    patch: (directory, id, body, ifMatch) =>
      groups.patch(directory, id, body, ifMatch).then(group(directory)),
    remove: (directory, id, ifMatch) => groups.remove(directory, id, ifMatch),
  };
  return { Users, Groups } as Record<'Users' | 'Groups', ScimEndpoint>;
}

/** The batch path of /Bulk creates (bulk-user-import.ts), answered like single creates. */
export function userBatchImport(
  users: DirectoryUsers,
  baseUrl: (directory: DirectoryRecord) => string,
): UserBatchImport {
  return async (directory, bodies) =>
    (await users.importMany(directory, bodies)).map((outcome) => {
      if (outcome.kind === 'failed') return outcome.error;
      if (outcome.kind === 'single') return undefined;
      return written(scimUser(outcome.view.record, outcome.view.groups, baseUrl(directory)));
    });
}
