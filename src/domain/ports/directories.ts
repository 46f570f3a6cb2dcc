import type { Filter } from '../scim/expressions/index.js';

/** A SCIM directory of an organization (the customer's IdP pushes users and groups into it). */
export interface DirectoryRecord {
  id: string;
  organizationId: string;
  key: string;
  /** HMAC of the bearer token (the token itself is never stored). */
  tokenHash: string;
  tokenHint: string;
  /** Group displayName -> role name. */
  groupRoleMap: Record<string, string>;
  managedBy: string | null;
  tokenRotatedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
export type NewDirectory = Omit<DirectoryRecord, 'createdAt' | 'updatedAt' | 'tokenRotatedAt'>;

export interface DirectoryRepository {
  findById(id: string): Promise<DirectoryRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<DirectoryRecord | undefined>;
  find(organizationId: string, key: string): Promise<DirectoryRecord | undefined>;
  listFor(organizationIds?: readonly string[]): Promise<DirectoryRecord[]>;
  /** Throws ConflictError `directory_exists` when the organization has one with this key. */
  create(directory: NewDirectory): Promise<DirectoryRecord>;
  update(
    id: string,
    changes: Partial<Pick<DirectoryRecord, 'tokenHash' | 'tokenHint' | 'groupRoleMap' | 'managedBy'>> & {
      tokenRotatedAt?: Date;
    },
  ): Promise<DirectoryRecord>;
  delete(id: string): Promise<void>;
}

/** A user as a directory pushed it. */
export interface DirectoryUserRecord {
  id: string;
  directoryId: string;
  userId: string;
  userName: string;
  userNameKey: string;
  externalId: string | null;
  emails: string[];
  primaryEmail: string | null;
  displayName: string | null;
  active: boolean;
  /** The SCIM resource as stored (canonical attribute names; no id, meta or groups). */
  resource: Record<string, unknown>;
  version: number;
  /** The roles the group-to-role map gave (so a later group change can take back only those). */
  directoryRoles: string[];
  createdAt: Date;
  updatedAt: Date;
}
export type DirectoryUserFields = Omit<
  DirectoryUserRecord,
  'id' | 'directoryId' | 'userId' | 'version' | 'directoryRoles' | 'createdAt' | 'updatedAt'
>;

/** A group as a directory pushed it; members are directory user ids. */
export interface DirectoryGroupRecord {
  id: string;
  directoryId: string;
  displayName: string;
  displayNameKey: string;
  externalId: string | null;
  resource: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
export type DirectoryGroupFields = Pick<
  DirectoryGroupRecord,
  'displayName' | 'displayNameKey' | 'externalId' | 'resource'
>;

/** A SCIM list request as the store answers it (RFC 7644 §3.4.2). */
export interface ScimQuery {
  filter?: Filter | undefined;
  sortBy?: string | undefined;
  sortOrder?: 'ascending' | 'descending' | undefined;
  /** 1-based. */
  startIndex: number;
  count: number;
}
/**
 * What an earlier page of the same list, over the same data, already told (list-cursors.ts): the
 * total, and the id the requested page starts after (id order only). Both or neither.
 */
export interface PageHints {
  total?: number;
  afterId?: string;
}

export interface ScimPage<T> {
  totalResults: number;
  items: T[];
}

export interface DirectoryUserRepository {
  find(directoryId: string, id: string): Promise<DirectoryUserRecord | undefined>;
  findByUserId(directoryId: string, userId: string): Promise<DirectoryUserRecord | undefined>;
  /** Throws ConflictError `scim_uniqueness` when userName or externalId is taken in the directory. */
  create(
    record: DirectoryUserFields & { id: string; directoryId: string; userId: string },
  ): Promise<DirectoryUserRecord>;
  /** Writes when the stored version is `expectedVersion` (undefined: any); bumps the version. Undefined when it moved on. */
  update(
    directoryId: string,
    id: string,
    fields: DirectoryUserFields,
    expectedVersion?: number,
  ): Promise<DirectoryUserRecord | undefined>;
  /** Inserts all of them in one statement (a bulk import); a uniqueness clash fails them all. */
  createMany(
    records: ReadonlyArray<DirectoryUserFields & { id: string; directoryId: string; userId: string }>,
  ): Promise<DirectoryUserRecord[]>;
  /** Users of the directory holding any of these userName keys, externalIds or Gatehouse users. */
  findClashes(
    directoryId: string,
    keys: { userNameKeys: readonly string[]; externalIds: readonly string[]; userIds: readonly string[] },
  ): Promise<DirectoryUserRecord[]>;
  /** Not a change to the resource: the version (ETag) stays. */
  setDirectoryRoles(id: string, roles: readonly string[]): Promise<void>;
  delete(directoryId: string, id: string): Promise<boolean>;
  query(directoryId: string, query: ScimQuery, hints?: PageHints): Promise<ScimPage<DirectoryUserRecord>>;
  /** The groups each of these users is a member of (for the `groups` attribute). */
  groupsOf(directoryUserIds: readonly string[]): Promise<Map<string, { id: string; displayName: string }[]>>;
}

export interface DirectoryGroupRepository {
  find(directoryId: string, id: string): Promise<DirectoryGroupRecord | undefined>;
  /** Throws ConflictError `scim_uniqueness` when externalId is taken in the directory. */
  create(record: DirectoryGroupFields & { id: string; directoryId: string }): Promise<DirectoryGroupRecord>;
  update(
    directoryId: string,
    id: string,
    fields: DirectoryGroupFields,
    expectedVersion?: number,
  ): Promise<DirectoryGroupRecord | undefined>;
  delete(directoryId: string, id: string): Promise<boolean>;
  query(directoryId: string, query: ScimQuery, hints?: PageHints): Promise<ScimPage<DirectoryGroupRecord>>;
  members(groupIds: readonly string[]): Promise<Map<string, { id: string; userName: string }[]>>;
  /** Sets the members to exactly these directory users (ids of other directories are ignored). */
  replaceMembers(directoryId: string, groupId: string, directoryUserIds: readonly string[]): Promise<void>;
  /** The display names of the groups a directory user belongs to (for the group-to-role map). */
  groupNamesOf(directoryUserId: string): Promise<string[]>;
  /** The directory users that belong to any group with one of these display names (lower-cased). */
  memberIdsOfGroups(directoryId: string, displayNameKeys: readonly string[]): Promise<string[]>;
}
