import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/domain/tokens/token-exchange-policy.js';
import { postForClient } from '../http-client.js';
import { loginFlow } from '../login-flow.js';
import {
  benchOrganization,
  ORG_EXCHANGE_CLIENT,
  ORG_EXCHANGE_SCOPE,
  ORG_USER,
  ORGANIZATIONS,
  type BenchOrganization,
} from '../organizations.js';
import { API, API_SCOPE, SECRET } from '../settings.js';
import { organizationClaimsCheck } from './organization-claims.js';
import { SEED_PARALLEL, times, type Scenario } from './scenario.js';

/** The organization worker `worker` signs in to, and the one its exchanges switch to. */
const homeOf = (worker: number) => worker % ORGANIZATIONS;
const switchOf = (worker: number) => (worker + 1) % ORGANIZATIONS;

const isJwt = (value: unknown): value is string => typeof value === 'string' && value.split('.').length === 3;

/**
 * Token issue with organization-scoped claims through RFC 8693 token exchange, Gatehouse only:
 * the user who belongs to 50 organizations with 20 roles each trades an access token of
 * `org-api-app` for the bench API for one of another of their organizations. Each worker signs in
 * once with `organization=<slug of worker mod 50>` and `resource=<API>` (a JWT access token: its
 * subject token); every operation exchanges it for organization (worker + 1) mod 50, so the
 * membership and roles of an organization other than the subject's are read on every request.
 * The answer is a JWT with that organization's org_id, org_slug, roles and permissions; nothing
 * is written to a store, as with client_credentials. At prepare time every subject token, and
 * one exchange for each of the 50 organizations, is checked for exactly those claims and `aud`.
 *
 * A worker whose exchange fails signs in again (the next subject token), like `refresh` starts
 * a new chain: that covers subject tokens that run out (ACCESS_TOKEN_TTL_SECONDS, 600 s, longer
 * than the scenario's cells unless BENCH_SECONDS is above about 190).
 */
export const orgExchange: Scenario = {
  name: 'org_exchange',
  operation:
    'one POST /token (token exchange, RFC 8693) of a JWT access token of a member of 50 organizations x 20 roles for another of their organizations; new JWT access token with org_id, org_slug, roles, permissions of that organization',
  gatehouseOnly: true,
  organizations: true,
  async prepare(target, workers) {
    if (target.name !== 'gatehouse') throw new Error('org_exchange runs on Gatehouse only');
    const client = { id: ORG_EXCHANGE_CLIENT, secret: SECRET };
    const seed = async (worker: number): Promise<string> => {
      const tokens = await loginFlow(target.issuer, {
        user: ORG_USER,
        client,
        scope: ORG_EXCHANGE_SCOPE,
        organization: benchOrganization(homeOf(worker)).slug,
        resource: API,
      });
      if (!isJwt(tokens.access_token)) throw new Error('the login returned no JWT access token');
      return tokens.access_token;
    };
    const subjects = await times(workers, SEED_PARALLEL, seed);
    const exchange = (subject: string, organization: string) =>
      postForClient(`${target.issuer}/token`, client, {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: subject,
        subject_token_type: ACCESS_TOKEN_TYPE,
        resource: API,
        organization,
      });

    // The claims, checked before anything is measured: each subject token, then one exchange
    // for each organization, from the worker whose measured exchanges target it (with fewer
    // than 50 workers, from another worker's subject token).
    const claims = organizationClaimsCheck('org_exchange');
    // ... and each for the bench API alone, with the API scope the client signed in with.
    const check = (token: unknown, organization: BenchOrganization, what: string) => {
      const { aud, scope } = claims.check(token, organization, what);
      const audience = Array.isArray(aud) && aud.length === 1 ? aud[0] : aud;
      if (audience !== API) throw new Error(`org_exchange: the ${what} has aud ${JSON.stringify(aud)}`);
      if (scope !== API_SCOPE)
        throw new Error(`org_exchange: the ${what} has scope ${JSON.stringify(scope)}`);
    };
    subjects.forEach((subject, worker) =>
      check(subject, benchOrganization(homeOf(worker)), 'sign-in access token'),
    );
    for (let index = 0; index < ORGANIZATIONS; index += 1) {
      const worker = ((index + ORGANIZATIONS - 1) % ORGANIZATIONS) % workers;
      const organization = benchOrganization(index);
      const what = `access token exchanged from ${benchOrganization(homeOf(worker)).slug}`;
      const answer = await exchange(subjects[worker]!, organization.slug);
      check(answer.access_token, organization, what);
    }
    claims.done();

    return async (worker) => {
      try {
        const answer = await exchange(subjects[worker]!, benchOrganization(switchOf(worker)).slug);
        if (!isJwt(answer.access_token)) throw new Error('expected a JWT access token');
      } catch (error) {
        subjects[worker] = await seed(worker);
        throw error;
      }
    };
  },
};
