import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE,
  GROUP_SCHEMA,
  USER_RESOURCE,
  USER_SCHEMA,
} from '../../domain/scim/model/index.js';
import type { ResourceSchemas } from '../../domain/scim/model/index.js';
import { normalizeEmail } from '../../lib/email.js';
import { Prisma } from './prisma-client.js';
import type { RelationSpec } from './scim-sql-elements.js';
import type { Column } from './scim-sql-operands.js';

/**
 * Where each SCIM attribute of a stored resource lives: indexed columns where the table has them,
 * the membership table for `groups` and `members`, and the `resource` jsonb for the rest. How a
 * value compares (type, caseExact) always comes from the schema definitions, never from here.
 */
export interface ResourceTable {
  readonly resource: ResourceSchemas;
  readonly alias: Prisma.Sql;
  /** By lower-cased canonical path (`username`, `meta.created`). */
  readonly columns: Readonly<Record<string, Column>>;
  /** Multi-valued attributes kept in a table of their own, by lower-cased name. */
  readonly relations: Readonly<Record<string, RelationSpec>>;
  /** Multi-valued attributes whose values a text[] column also holds, folded: for comparisons. */
  readonly valueArrays: Readonly<Record<string, Column & { readonly key: NonNullable<Column['key']> }>>;
  /** The `schemas` list as served (RFC 7643 §3): the core schema and the extensions present. */
  readonly schemas: Prisma.Sql;
  /** Served from configuration the database does not know (the base URL in `meta.location`). */
  readonly unsupported: readonly string[];
}

const raw = Prisma.raw;
/**
 * The key columns hold NFC, trimmed, lower-cased text (parseUserInput, parseGroupInput,
 * normalizeEmail): eq folds its value the same way; co, sw, ew and the orderings do not trim, since
 * blanks at the edges of a substring are part of it.
 */
const keyFold = {
  equal: normalizeEmail,
  partial: (value: string) => value.normalize('NFC').toLowerCase(),
};

function metaColumns(alias: string, resourceType: string): Record<string, Column> {
  return {
    'meta.created': { sql: raw(`${alias}.created_at`) },
    'meta.lastmodified': { sql: raw(`${alias}.updated_at`) },
    'meta.resourcetype': { sql: Prisma.sql`${resourceType}::text` },
    // RFC 7644 §3.14: the version is the weak ETag of the row's version counter.
    'meta.version': { sql: raw(`('W/"' || ${alias}.version || '"')`) },
  };
}

export const USER_TABLE: ResourceTable = {
  resource: USER_RESOURCE,
  alias: raw('u'),
  columns: {
    id: { sql: raw('u.id') },
    externalid: { sql: raw('u.external_id'), nullable: true },
    // user_name_key: NFC, trimmed, lower-cased, unique per directory (RFC 7643 §4.1.1).
    username: { sql: raw('u.user_name_key'), key: keyFold },
    displayname: { sql: raw('u.display_name'), nullable: true },
    active: { sql: raw('u.active') },
    ...metaColumns('u', 'User'),
  },
  relations: {
    groups: {
      from: (m) => Prisma.sql`directory_group_members ${m}`,
      where: (m) => Prisma.sql`${m}.directory_user_id = u.id`,
      order: (m) => Prisma.sql`${m}.group_id`,
      subs: {
        value: (m) => ({ sql: Prisma.sql`${m}.group_id` }),
        display: (m) => ({
          sql: Prisma.sql`(SELECT gd.display_name FROM directory_groups gd WHERE gd.id = ${m}.group_id)`,
          nullable: true,
        }),
      },
      unsupported: ['$ref'],
    },
  },
  valueArrays: { emails: { sql: raw('u.emails'), nullable: true, key: keyFold } },
  schemas: Prisma.sql`ARRAY[${USER_SCHEMA}::text,
    CASE WHEN u.resource -> ${ENTERPRISE_USER_SCHEMA}::text IS NOT NULL THEN ${ENTERPRISE_USER_SCHEMA}::text END]`,
  unsupported: ['meta.location'],
};

export const GROUP_TABLE: ResourceTable = {
  resource: GROUP_RESOURCE,
  alias: raw('g'),
  columns: {
    id: { sql: raw('g.id') },
    externalid: { sql: raw('g.external_id'), nullable: true },
    // Entra ID and Okta find groups by `displayName eq`: the indexed key answers it.
    displayname: { sql: raw('g.display_name_key'), key: keyFold },
    ...metaColumns('g', 'Group'),
  },
  relations: {
    members: {
      from: (m) => Prisma.sql`directory_group_members ${m}`,
      where: (m) => Prisma.sql`${m}.group_id = g.id`,
      order: (m) => Prisma.sql`${m}.directory_user_id`,
      subs: {
        value: (m) => ({ sql: Prisma.sql`${m}.directory_user_id` }),
        // The served member's display is the user's userName.
        display: (m) => ({
          sql: Prisma.sql`(SELECT mu.user_name FROM directory_users mu WHERE mu.id = ${m}.directory_user_id)`,
          nullable: true,
        }),
      },
      unsupported: ['$ref'],
    },
  },
  valueArrays: {},
  schemas: Prisma.sql`ARRAY[${GROUP_SCHEMA}::text]`,
  unsupported: ['meta.location'],
};
