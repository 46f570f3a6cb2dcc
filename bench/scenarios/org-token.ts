import { decodeJwt } from 'jose';
import { postForClient } from '../http-client.js';
import { loginFlow, type LoginTokens } from '../login-flow.js';
import {
  benchOrganization,
  ORG_CLIENT,
  ORG_SCOPE,
  ORG_USER,
  ORGANIZATIONS,
  PERMISSIONS_PER_ROLE,
  ROLES_PER_MEMBER,
  ROLES_PER_ORGANIZATION,
  type BenchOrganization,
} from '../organizations.js';
import { SECRET } from '../settings.js';
import { times, type Scenario } from './scenario.js';

const SEED_PARALLEL = 8;

const sameList = (actual: unknown, expected: string[]) =>
  Array.isArray(actual) &&
  JSON.stringify([...(actual as unknown[])].sort()) === JSON.stringify([...expected].sort());

/**
 * The ID token must speak for exactly `organization`, with the user's roles there and the
 * permissions those roles grant; otherwise the bench would measure a token path without the
 * organization claims, so it stops. Returns the token's org_id.
 */
function assertOrganizationClaims(
  idToken: string | undefined,
  organization: BenchOrganization,
  step: string,
) {
  if (!idToken) throw new Error(`org_token: the ${step} returned no ID token`);
  const claims = decodeJwt(idToken);
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
      `org_token: the ${step} ID token does not carry the claims of ${organization.slug} ` +
        `(expected roles ${organization.memberRoles.join(' ')} and ${organization.memberPermissions.length} permissions); ` +
        `got ${problems.join(', ')}`,
    );
  }
  return claims.org_id as string;
}

/**
 * Token issue with organization-scoped claims, Gatehouse only: the refresh_token grant
 * (rotated, like `refresh`) for a user who belongs to 50 organizations with 20 roles each, scope
 * `openid organization roles offline_access`. Each worker owns a chain from its own sign-in with
 * `organization=<slug>`, workers spread over the organizations (worker mod 50). Every refresh
 * re-reads the membership and the roles of the grant's organization and puts org_id, org_slug,
 * roles and permissions in the new ID token. At prepare time every sign-in's ID token, and one
 * refresh's per organization, is checked for exactly those claims.
 */
export const orgToken: Scenario = {
  name: 'org_token',
  operation:
    'one POST /token (refresh_token, rotated) for a member of 50 organizations x 20 roles; new ID token with org_id, org_slug, roles, permissions of the grant organization',
  gatehouseOnly: true,
  organizations: true,
  async prepare(target, workers) {
    if (target.name !== 'gatehouse') throw new Error('org_token runs on Gatehouse only');
    const client = { id: ORG_CLIENT, secret: SECRET };
    const organizationOf = (worker: number) => benchOrganization(worker % ORGANIZATIONS);
    const seed = async (worker: number): Promise<LoginTokens & { refresh_token: string }> => {
      const tokens = await loginFlow(target.issuer, {
        user: ORG_USER,
        client,
        scope: ORG_SCOPE,
        organization: organizationOf(worker).slug,
      });
      if (!tokens.refresh_token) throw new Error('the login returned no refresh token');
      return tokens as LoginTokens & { refresh_token: string };
    };
    const logins = await times(workers, SEED_PARALLEL, seed);
    const chains = logins.map((tokens) => tokens.refresh_token);
    const refreshOnce = async (worker: number) => {
      const tokens = await postForClient(`${target.issuer}/token`, client, {
        grant_type: 'refresh_token',
        refresh_token: chains[worker]!,
      });
      if (typeof tokens.refresh_token !== 'string') throw new Error('no rotated refresh token');
      chains[worker] = tokens.refresh_token;
      return tokens;
    };

    // The claims, checked before anything is measured: each sign-in, then one refresh (the
    // measured path) per organization; one org_id per slug and a different one for each.
    const idBySlug = new Map<string, string>();
    const check = (tokens: Record<string, unknown> | LoginTokens, worker: number, step: string) => {
      const organization = organizationOf(worker);
      const orgId = assertOrganizationClaims(tokens.id_token as string | undefined, organization, step);
      const known = idBySlug.get(organization.slug);
      if (known !== undefined && known !== orgId)
        throw new Error(`org_token: ${organization.slug} came back as ${known} and as ${orgId}`);
      idBySlug.set(organization.slug, orgId);
    };
    logins.forEach((tokens, worker) => check(tokens, worker, 'sign-in'));
    const firstPerOrganization = Math.min(workers, ORGANIZATIONS);
    for (let worker = 0; worker < firstPerOrganization; worker += 1) {
      check(await refreshOnce(worker), worker, 'refresh');
    }
    if (new Set(idBySlug.values()).size !== idBySlug.size)
      throw new Error('org_token: two organizations share an org_id');
    process.stderr.write(
      `[bench] org_token: claims checked for ${idBySlug.size} organizations ` +
        `(${ROLES_PER_MEMBER} of ${ROLES_PER_ORGANIZATION} roles, ${ROLES_PER_MEMBER * PERMISSIONS_PER_ROLE} permissions each)\n`,
    );

    return async (worker) => {
      try {
        const tokens = await refreshOnce(worker);
        if (typeof tokens.id_token !== 'string') throw new Error('no ID token');
      } catch (error) {
        chains[worker] = (await seed(worker)).refresh_token;
        throw error;
      }
    };
  },
};
