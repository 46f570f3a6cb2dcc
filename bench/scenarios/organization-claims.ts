import { decodeJwt, type JWTPayload } from 'jose';
import {
  PERMISSIONS_PER_ROLE,
  ROLES_PER_MEMBER,
  ROLES_PER_ORGANIZATION,
  type BenchOrganization,
} from '../organizations.js';

const sameList = (actual: unknown, expected: string[]) =>
  Array.isArray(actual) &&
  JSON.stringify([...(actual as unknown[])].sort()) === JSON.stringify([...expected].sort());

/**
 * The check the organization scenarios (org_token, org_exchange) run before anything is
 * measured: every token they look at must speak for exactly its organization, with the user's
 * roles there and the permissions those roles grant, or the bench would measure a token path
 * without the organization claims. Across all the tokens checked, one org_id per slug and a
 * different one for each slug, so a token that names another organization cannot pass.
 */
export function organizationClaimsCheck(scenario: string) {
  const idBySlug = new Map<string, string>();
  return {
    /** Decodes `token` (a JWT: ID or access token) and returns its claims; throws on the first mismatch. */
    check(token: unknown, organization: BenchOrganization, what: string): JWTPayload {
      if (typeof token !== 'string' || token === '') throw new Error(`${scenario}: no ${what}`);
      const claims = decodeJwt(token);
      const problems = [
        typeof claims.org_id !== 'string' || claims.org_id === '' ? `org_id ${String(claims.org_id)}` : '',
        claims.org_slug !== organization.slug ? `org_slug ${String(claims.org_slug)}` : '',
        !sameList(claims.roles, organization.memberRoles) ? `roles ${JSON.stringify(claims.roles)}` : '',
        !sameList(claims.permissions, organization.memberPermissions)
          ? `permissions ${JSON.stringify(claims.permissions)}`
          : '',
      ].filter(Boolean);
      if (problems.length > 0) {
        throw new Error(
          `${scenario}: the ${what} does not carry the claims of ${organization.slug} ` +
            `(expected roles ${organization.memberRoles.join(' ')} and ${organization.memberPermissions.length} permissions); ` +
            `got ${problems.join(', ')}`,
        );
      }
      const orgId = claims.org_id as string;
      const known = idBySlug.get(organization.slug);
      if (known !== undefined && known !== orgId)
        throw new Error(`${scenario}: ${organization.slug} came back as ${known} and as ${orgId}`);
      idBySlug.set(organization.slug, orgId);
      return claims;
    },

    /** After the last check: distinct org_ids, and a line on stderr. */
    done(): void {
      if (new Set(idBySlug.values()).size !== idBySlug.size)
        throw new Error(`${scenario}: two organizations share an org_id`);
      process.stderr.write(
        `[bench] ${scenario}: claims checked for ${idBySlug.size} organizations ` +
          `(${ROLES_PER_MEMBER} of ${ROLES_PER_ORGANIZATION} roles, ${ROLES_PER_MEMBER * PERMISSIONS_PER_ROLE} permissions each)\n`,
      );
    },
  };
}
