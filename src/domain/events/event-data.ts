import type { UserRecord } from '../ports/repositories.js';

/**
 * The `data` of an event: the object after the change (before it, for a deletion), in the admin
 * API's spelling (snake_case members, RFC 3339 instants). Consumers of many tenants read it,
 * so nothing secret ever goes in, whatever a caller put in its audit snapshot.
 */

// Columns that hold secrets or their digests (passwordHash, secretHash, secretCiphertext, ...).
const SECRET_MEMBER = /^password$|hash$|ciphertext$|secret$/i;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** A JSON copy of an audit snapshot: top-level members renamed, secret ones left out. */
export function snapshotData(snapshot: unknown): Record<string, unknown> {
  const json = JSON.stringify(snapshot ?? {}) as string | undefined;
  const value: unknown = json === undefined ? {} : JSON.parse(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { value };
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([name]) => !SECRET_MEMBER.test(name))
      .map(([name, member]) => [snakeCase(name), member]),
  );
}

/**
 * A user as the stream shows it, whichever path changed it (admin API, YAML, SSO, SCIM), so every
 * user event has one shape: the admin API's user, never the password hash.
 */
export const userData = (user: UserRecord): Record<string, unknown> => ({
  id: user.id,
  email: user.email,
  email_verified: user.emailVerified,
  name: user.name,
  profile: user.profile,
  has_password: user.passwordHash !== null,
  managed_by: user.managedBy,
  created_at: user.createdAt.toISOString(),
  updated_at: user.updatedAt.toISOString(),
});
