import type { IdentityRecord } from '../../domain/ports/federation.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import type { MembershipRecord } from '../../domain/ports/tenancy.js';
import { toRecord as identityRecord } from '../prisma/identity-repository.js';
import { toRecord as membershipRecord } from '../prisma/membership-repository.js';
import type { IdentityRow, MembershipRow } from '../prisma/prisma-client.js';
import type { Query } from './query.js';
import { fromRawUser, type UserRow } from './user-by-id.js';

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

/**
 * Who a sign-in is: the user by email (every password and Magic Auth sign-in), the identity an
 * upstream subject links and the membership in the connection's organization (every enterprise
 * sign-in), as prepared statements outside Prisma: same reason as user-by-id.ts.
 */
export function accountQueries(query: Query) {
  return {
    async userByEmail(email: string): Promise<UserRecord | undefined> {
      const { rows } = await query<UserRow>('gh_user_by_email', `SELECT * FROM "users" WHERE "email" = $1`, [email]);
      return rows[0] && fromRawUser(rows[0]);
    },
    async identityOf(connectionId: string, subject: string): Promise<IdentityRecord | undefined> {
      const { rows } = await query<RawIdentityRow>(
        'gh_identity_of',
        `SELECT * FROM "identities" WHERE "connection_id" = $1 AND "subject" = $2`,
        [connectionId, subject],
      );
      const row = rows[0];
      return row
        ? identityRecord({
            id: row.id,
            userId: row.user_id,
            connectionId: row.connection_id,
            subject: row.subject,
            attributes: row.attributes,
            createdAt: row.created_at,
            lastLoginAt: row.last_login_at,
          })
        : undefined;
    },
    async organizationIdsOf(userId: string): Promise<string[]> {
      const { rows } = await query<{ organization_id: string }>(
        'gh_membership_organizations',
        `SELECT "organization_id" FROM "memberships" WHERE "user_id" = $1 ORDER BY "id"`,
        [userId],
      );
      return rows.map((row) => row.organization_id);
    },
    async membershipOf(userId: string, organizationId: string): Promise<MembershipRecord | undefined> {
      const { rows } = await query<RawMembershipRow>(
        'gh_membership_of',
        `SELECT * FROM "memberships" WHERE "user_id" = $1 AND "organization_id" = $2`,
        [userId, organizationId],
      );
      const row = rows[0];
      return row
        ? membershipRecord({
            id: row.id,
            userId: row.user_id,
            organizationId: row.organization_id,
            status: row.status,
            roles: row.roles,
            ruleRoles: row.rule_roles,
            createdAt: row.created_at,
            updatedAt: row.updated_at,
          })
        : undefined;
    },
  };
}
