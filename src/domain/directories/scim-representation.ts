import type { DirectoryGroupRecord, DirectoryUserRecord } from '../ports/directories.js';
import {
  ENTERPRISE_USER_SCHEMA,
  etagForVersion,
  GROUP_SCHEMA,
  USER_SCHEMA,
  type JsonObject,
} from '../scim/model/index.js';

/** RFC 7643 §3.1 `meta`: the version is the ETag (RFC 7644 §3.14). */
function meta(
  resourceType: 'User' | 'Group',
  record: { id: string; version: number; createdAt: Date; updatedAt: Date },
  baseUrl: string,
) {
  return {
    resourceType,
    created: record.createdAt.toISOString(),
    lastModified: record.updatedAt.toISOString(),
    location: `${baseUrl}/${resourceType}s/${record.id}`,
    version: etagForVersion(record.version),
  };
}

/** A stored user as the client reads it: the resource it wrote, plus id, groups and meta. */
export function scimUser(
  record: DirectoryUserRecord,
  groups: readonly { id: string; displayName: string }[],
  baseUrl: string,
): JsonObject {
  const { schemas: _written, ...resource } = record.resource;
  return {
    schemas: ENTERPRISE_USER_SCHEMA in resource ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: record.id,
    ...(resource as JsonObject),
    active: record.active,
    groups: groups.map((group) => ({
      value: group.id,
      display: group.displayName,
      $ref: `${baseUrl}/Groups/${group.id}`,
    })),
    meta: meta('User', record, baseUrl),
  };
}

/** A stored group as the client reads it, members from the membership table. */
export function scimGroup(
  record: DirectoryGroupRecord,
  members: readonly { id: string; userName: string }[],
  baseUrl: string,
): JsonObject {
  const { schemas: _written, members: _stored, ...resource } = record.resource;
  return {
    schemas: [GROUP_SCHEMA],
    id: record.id,
    ...(resource as JsonObject),
    members: members.map((member) => ({
      value: member.id,
      display: member.userName,
      $ref: `${baseUrl}/Users/${member.id}`,
    })),
    meta: meta('Group', record, baseUrl),
  };
}
