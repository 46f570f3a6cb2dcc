import { NotFoundError } from '../../domain/errors.js';
import type { IdentityRecord } from '../../domain/ports/federation.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import type { MembershipRecord } from '../../domain/ports/tenancy.js';
import { toRecord as identityRecord } from '../prisma/identity-repository.js';
import { toRecord as membershipRecord } from '../prisma/membership-repository.js';
import type { IdentityRow } from '../prisma/prisma-client.js';
import { allRows, firstRow, type Query } from './query.js';
import { utcWallTime } from './utc-timestamps.js';
import { fromRawUser } from './user-by-id.js';

interface RawIdentityRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  connection_id: string;
  subject: string;
  attributes: IdentityRow['attributes'];
  created_at: Date;
  last_login_at: Date;
}

interface RawMembershipRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  organization_id: string;
  status: string;
  roles: string[];
  rule_roles: string[];
  created_at: Date;
  updated_at: Date;
}

const fromRawIdentity = (row: RawIdentityRow): IdentityRecord =>
  identityRecord({
    id: row.id,
    userId: row.user_id,
    connectionId: row.connection_id,
    subject: row.subject,
    attributes: row.attributes,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  });

const fromRawMembership = (row: RawMembershipRow): MembershipRecord =>
  membershipRecord({
    id: row.id,
    userId: row.user_id,
    organizationId: row.organization_id,
    status: row.status,
    roles: row.roles,
    ruleRoles: row.rule_roles,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

/**
 * Who a sign-in is: the user by email (every password and Magic Auth sign-in), the identity an
 * upstream subject links (and its sign-in time), the membership in the connection's organization
 * (every enterprise sign-in) and the organizations whose audit chains record a sign-in, as
 * prepared statements outside Prisma: same reason as user-by-id.ts.
 */
export function accountQueries(query: Query) {
  return {
    userByEmail: (email: string): Promise<UserRecord | undefined> =>
      firstRow(query, 'gh_user_by_email', `SELECT * FROM "users" WHERE "email" = $1`, [email], fromRawUser),
    identityOf: (connectionId: string, subject: string): Promise<IdentityRecord | undefined> =>
      firstRow(
        query,
        'gh_identity_of',
        `SELECT * FROM "identities" WHERE "connection_id" = $1 AND "subject" = $2`,
        [connectionId, subject],
        fromRawIdentity,
      ),
    membershipOf: (userId: string, organizationId: string): Promise<MembershipRecord | undefined> =>
      firstRow(
        query,
        'gh_membership_of',
        `SELECT * FROM "memberships" WHERE "user_id" = $1 AND "organization_id" = $2`,
        [userId, organizationId],
        fromRawMembership,
      ),
    /** An enterprise sign-in's one write when nothing else changed (provisioning/read-only-attempt.ts). */
    async touchIdentity(id: string, attributes: Record<string, unknown>, at: Date): Promise<IdentityRecord> {
      const touched = await firstRow(
        query,
        'gh_identity_touch',
        `UPDATE "identities" SET "attributes" = $2::jsonb, "last_login_at" = ${utcWallTime('$3')}
          WHERE "id" = $1 RETURNING *`,
        [id, JSON.stringify(attributes), at.toISOString()],
        fromRawIdentity,
      );
      if (!touched) throw new NotFoundError(`identity ${id}`);
      return touched;
    },
    async organizationIdsOf(userId: string): Promise<string[]> {
      return allRows(
        query,
        'gh_membership_organizations',
        `SELECT "organization_id" FROM "memberships" WHERE "user_id" = $1 ORDER BY "id"`,
        [userId],
        (row: { organization_id: string }) => row.organization_id,
      );
    },
  };
}
