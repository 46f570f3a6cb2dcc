import { postForClient } from '../http-client.js';
import { loginFlow, type LoginTokens } from '../login-flow.js';
import { benchOrganization, ORG_CLIENT, ORG_SCOPE, ORG_USER, ORGANIZATIONS } from '../organizations.js';
import { SECRET } from '../settings.js';
import { organizationClaimsCheck } from './organization-claims.js';
import { SEED_PARALLEL, times, type Scenario } from './scenario.js';

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
    // measured path) per organization.
    const claims = organizationClaimsCheck('org_token');
    logins.forEach((tokens, worker) =>
      claims.check(tokens.id_token, organizationOf(worker), 'sign-in ID token'),
    );
    const firstPerOrganization = Math.min(workers, ORGANIZATIONS);
    for (let worker = 0; worker < firstPerOrganization; worker += 1) {
      claims.check((await refreshOnce(worker)).id_token, organizationOf(worker), 'refresh ID token');
    }
    claims.done();

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
