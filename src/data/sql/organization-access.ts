import type { UserRecord } from '../../domain/ports/repositories.js';
import type { Payload } from '../../domain/ports/payload-store.js';
import type {
  GrantAccessRow,
  OrganizationAccessQuery,
  OrganizationAccessRow,
  OrganizationRecord,
} from '../../domain/ports/tenancy.js';
import { fromRaw, type RawOrganizationRow } from '../prisma/organization-repository.js';
import type { Query } from './query.js';
import { fromRawUser, type UserRow } from './user-by-id.js';
import { utcInstant } from './utc-timestamps.js';

/** Same bound as the Prisma repository: a cycle (which the domain refuses to create) cannot loop. */
const MAX_TREE_DEPTH = 64;

/**
 * The organization chain from the `start` CTE (at most one row: organization_id, user_id)
 * upwards, then the chain, the user's membership in the start organization and the roles defined
 * on the chain as JSON, in one statement. Roles come nearest organization first, then by name.
 * There is always one row: without a start, chain and membership are null and the user is the
 * one `userOtherwise` (an SQL expression) names.
 */
const accessStatement = (
  userOtherwise: string,
  also: { columns: string; joins: string } = { columns: '', joins: '' },
) => `
  "chain" ("id", "slug", "status", "parent_id", "frozen", "plan", "depth") AS (
    SELECT o."id", o."slug", o."status", o."parent_id", o."frozen_at" IS NOT NULL, o."plan", 0
      FROM "organizations" o JOIN "start" s ON o."id" = s."organization_id"
    UNION ALL
    SELECT o."id", o."slug", o."status", o."parent_id", o."frozen_at" IS NOT NULL, o."plan", c."depth" + 1
      FROM "organizations" o JOIN "chain" c ON o."id" = c."parent_id"
     WHERE c."depth" < ${MAX_TREE_DEPTH}
  )
  SELECT s."user_id" AS "userId", s."connection_id" AS "connectionId", s."trust_rule_id" AS "trustRuleId",
    (SELECT json_agg(json_build_object('id', c."id", 'slug', c."slug", 'status', c."status", 'parentId', c."parent_id",
              'frozen', c."frozen", 'plan', c."plan")
            ORDER BY c."depth")
       FROM "chain" c) AS "chain",
    (SELECT json_build_object('id', m."id", 'status', m."status", 'roles', m."roles")
       FROM "memberships" m
      WHERE m."user_id" = s."user_id" AND m."organization_id" = s."organization_id") AS "membership",
    (SELECT coalesce(json_agg(json_build_object('organizationId', r."organization_id", 'name', r."name",
              'permissions', r."permissions", 'admin', r."admin", 'overridable', r."overridable")
            ORDER BY c."depth", r."name"), '[]'::json)
       FROM "roles" r JOIN "chain" c ON c."id" = r."organization_id") AS "roles",
    (SELECT json_agg(to_jsonb(o) ORDER BY c."depth")
       FROM "chain" c JOIN "organizations" o ON o."id" = c."id") AS "organizations",
    (SELECT to_jsonb(u) FROM "users" u WHERE u."id" = coalesce(s."user_id", ${userOtherwise})) AS "user"${also.columns}
  FROM (SELECT 1) AS "one" LEFT JOIN "start" s ON true${also.joins}`;

/**
 * Walks up from each organization of an active membership while the ancestors are active; an
 * organization is a choice when the walk reaches the root (a suspended ancestor stops it).
 */
const CHOICES = `
  WITH RECURSIVE "walk" ("id", "slug", "name", "next", "depth") AS (
    SELECT o."id", o."slug", o."name", o."parent_id", 0
      FROM "memberships" m JOIN "organizations" o ON o."id" = m."organization_id"
     WHERE m."user_id" = $1 AND m."status" = 'active' AND o."status" = 'active'
    UNION ALL
    SELECT w."id", w."slug", w."name", p."parent_id", w."depth" + 1
      FROM "walk" w JOIN "organizations" p ON p."id" = w."next"
     WHERE p."status" = 'active' AND w."depth" < ${MAX_TREE_DEPTH}
  )
  SELECT "id", "slug", "name" FROM "walk" WHERE "next" IS NULL ORDER BY "name", "id"`;

/**
 * A `token` CTE's row (payload, grant_id, grant: the Grant's payload) with the grant's access, in
 * one statement. The user of a grant that speaks for no organization comes from the grant's
 * payload: the token request that asked reads that user next (findAccount), and takes the row
 * from here.
 */
const withAccess = (token: string) => `
  WITH RECURSIVE "token" AS (${token}), "start" AS (
    SELECT b."organization_id", b."user_id", b."connection_id", b."trust_rule_id"
      FROM "grant_organizations" b JOIN "token" k ON b."grant_id" = k."grant_id"
  ), ${accessStatement(`(SELECT k."grant"->>'accountId' FROM "token" k)`, {
    columns: `, k."payload" AS "tokenPayload", k."grant" AS "grantPayload", k."grant_id" AS "grantId"`,
    joins: ` LEFT JOIN "token" k ON true`,
  })}`;

const LIVE_GRANT = (alias: string, at: string) =>
  `${alias}."model" = 'Grant' AND (${alias}."expires_at" IS NULL OR ${alias}."expires_at" > ${at})`;

/** A refresh token (model $1, id $2, live at $3) with its Grant, both in PostgreSQL. */
const TOKEN_WITH_ACCESS = withAccess(`
  SELECT t."payload", t."grant_id", g."payload" AS "grant" FROM "oidc_payloads" t
    LEFT JOIN "oidc_payloads" g ON ${LIVE_GRANT('g', '$3')} AND g."id" = t."grant_id"
   WHERE t."model" = $1 AND t."id" = $2 AND (t."expires_at" IS NULL OR t."expires_at" > $3)`);

/** A Grant ($1, live at $2) and its access: forGrant, and a code's grant (the code is in Redis). */
const GRANT_WITH_ACCESS = withAccess(`
  SELECT NULL::jsonb AS "payload", $1::text AS "grant_id",
    (SELECT g."payload" FROM "oidc_payloads" g WHERE ${LIVE_GRANT('g', '$2')} AND g."id" = $1) AS "grant"`);

interface AccessRow extends Record<string, unknown> {
  /** null when there is no start (no such organization, or a grant bound to none). */
  userId: string | null;
  connectionId: string | null;
  trustRuleId: string | null;
  /** null when the organization does not exist (any more). */
  chain: OrganizationAccessRow['chain'] | null;
  membership: OrganizationAccessRow['membership'];
  roles: OrganizationAccessRow['roles'];
  /** The chain's organizations as whole rows (JSON: timestamps as text), nearest first. */
  organizations: Array<Record<string, unknown>> | null;
  /** The user's row (JSON: timestamps as text); null when there is no such user. */
  user: Record<string, unknown> | null;
}

/** What an access read found beside the access itself, for the reads of the same request. */
export interface AccessReadRows {
  /** The organization's chain, nearest first (never empty). */
  organizations?: () => OrganizationRecord[];
  user?: () => UserRecord;
}

/** An organization row as `to_jsonb` renders it, as the record a read of the row makes. */
const organizationFromJson = (json: Record<string, unknown>): OrganizationRecord =>
  fromRaw({
    ...json,
    frozen_at: typeof json.frozen_at === 'string' ? utcInstant(json.frozen_at) : null,
    created_at: utcInstant(json.created_at as string),
    updated_at: utcInstant(json.updated_at as string),
  } as unknown as RawOrganizationRow);

const userFromJson = (json: Record<string, unknown>): UserRecord =>
  fromRawUser({
    ...json,
    created_at: utcInstant(json.created_at as string),
    updated_at: utcInstant(json.updated_at as string),
  } as unknown as UserRow);

const toAccess = (row: AccessRow): OrganizationAccessRow => ({
  chain: row.chain ?? [],
  membership: row.membership,
  roles: row.roles,
});

/** A code's or refresh token's payload and its Grant's, with the grant's access (TOKEN_WITH_ACCESS). */
export interface TokenWithAccess {
  payload?: Payload;
  grant?: Payload;
  /** Set when the token names a grant; `access` is then what forGrant would answer for it. */
  grantId?: string;
  access?: GrantAccessRow;
}

export interface SqlOrganizationAccessQuery extends Omit<OrganizationAccessQuery, 'forUserAhead'> {
  tokenWithAccess(model: string, id: string, at: Date): Promise<TokenWithAccess>;
  /** A Grant and its access (no token payload), for a code kept elsewhere. */
  grantWithAccess(grantId: string, at: Date): Promise<TokenWithAccess>;
}

/**
 * Organization access for the token path (every token issue and refresh), in plain SQL for the
 * same reason as sql/payload-store.ts: one named prepared statement, one round trip.
 */
export function createOrganizationAccessQuery(
  query: Query,
  /**
   * Offered the organization's chain and the user each access read found, to take or leave
   * (built when taken).
   */
  onRows: (rows: AccessReadRows) => void = () => {},
): SqlOrganizationAccessQuery {
  const access = async (name: string, text: string, params: unknown[]) => {
    const row = (await query<AccessRow>(name, text, params)).rows[0];
    const organizations = row?.organizations;
    const user = row?.user;
    onRows({
      ...(organizations?.length ? { organizations: () => organizations.map(organizationFromJson) } : {}),
      ...(user ? { user: () => userFromJson(user) } : {}),
    });
    return row;
  };
  return {
    async choicesFor(userId) {
      const { rows } = await query<{ id: string; slug: string; name: string }>(
        'gh_organization_choices',
        CHOICES,
        [userId],
      );
      return rows;
    },
    async forUser(organizationRef, userId) {
      const row = await access(
        'gh_access_for_user',
        // Ids start with org_ and slugs may not: each branch can use its unique index.
        `WITH RECURSIVE "start" ("organization_id", "user_id", "connection_id", "trust_rule_id") AS (
           SELECT o."id", $2::text, NULL::text, NULL::text FROM "organizations" o WHERE o."id" = $1 AND left($1, 4) = 'org_'
           UNION ALL
           SELECT o."id", $2::text, NULL::text, NULL::text FROM "organizations" o WHERE o."slug" = $1 AND left($1, 4) <> 'org_'
         ), ${accessStatement('$2::text')}`,
        [organizationRef, userId],
      );
      return row?.chain ? toAccess(row) : undefined;
    },
    async forGrant(grantId) {
      return grantAccessOf(await access('gh_grant_with_access', GRANT_WITH_ACCESS, [grantId, new Date()]));
    },
    async tokenWithAccess(model, id, at) {
      return tokenWithAccessOf(await access('gh_token_with_access', TOKEN_WITH_ACCESS, [model, id, at]));
    },
    async grantWithAccess(grantId, at) {
      return tokenWithAccessOf(await access('gh_grant_with_access', GRANT_WITH_ACCESS, [grantId, at]));
    },
  };
}

const tokenWithAccessOf = (row: AccessRow | undefined): TokenWithAccess => ({
  payload: (row?.tokenPayload as Payload | null) ?? undefined,
  grant: (row?.grantPayload as Payload | null) ?? undefined,
  ...(typeof row?.grantId === 'string' ? { grantId: row.grantId, access: grantAccessOf(row) } : {}),
});

// A binding whose organization is gone answers with an empty chain and no membership, not
// undefined: undefined means "not an organization grant", which would fail open.
const grantAccessOf = (row: AccessRow | undefined): GrantAccessRow | undefined =>
  row?.userId
    ? {
        userId: row.userId,
        connectionId: row.connectionId,
        // Only a partner's grant (domain/federations) names a trust rule.
        ...(row.trustRuleId ? { trustRuleId: row.trustRuleId } : {}),
        ...toAccess(row),
      }
    : undefined;
