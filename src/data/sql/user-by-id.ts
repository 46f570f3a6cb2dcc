import type { UserRecord } from '../../domain/ports/repositories.js';
import { firstRow, type Query } from './query.js';

export interface UserRow extends Record<string, unknown> {
  id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  profile: Record<string, string>;
  password_hash: string | null;
  managed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A user as a plain SQL read returns it (column names as stored). */
export const fromRawUser = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  emailVerified: row.email_verified,
  name: row.name,
  profile: row.profile,
  passwordHash: row.password_hash,
  managedBy: row.managed_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * The one user read on the token path (claims for every ID token and refresh), in plain SQL for
 * the same reason as sql/payload-store.ts. Transactional and admin reads stay on Prisma.
 */
export function userByIdQuery(query: Query) {
  return (id: string): Promise<UserRecord | undefined> =>
    firstRow(query, 'gh_user_by_id', `SELECT * FROM "users" WHERE "id" = $1`, [id], fromRawUser);
}
