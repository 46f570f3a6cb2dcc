import type { Repositories } from '../../domain/ports/repositories.js';
import { inRequestScope, oncePerRequest } from '../../lib/request-scope.js';
import { accountQueries } from './account-reads.js';
import { MEMBERSHIPS_TAG, userTag, type ConfigurationCache } from './configuration-cache.js';
import { connectionByIdQuery } from './connection-by-id.js';
import { mfaFactorsForUserQuery } from './mfa-factors.js';
import { createOrganizationAccessQuery, type TokenWithAccess } from './organization-access.js';
import { organizationQueries } from './organization-lookup.js';
import type { Query } from './query.js';
import { realmQueries } from './realm-reads.js';
import { riskAssessmentQueries } from './risk-assessments.js';
import { signInWriteQueries } from './sign-in-writes.js';
import { userByIdQuery } from './user-by-id.js';
import { verifiedDomainsQuery } from './verified-domains.js';

/**
 * `read`, except that within a request an answer primed for the same arguments (a check ahead of
 * the token endpoint read it) is taken, once; the next call reads again.
 */
function takenOnceAhead<Args extends string[], T>(name: string, read: (...args: Args) => Promise<T>) {
  const ahead = oncePerRequest(name, read, (...args) => args.join('\u0000'));
  const take = (...args: Args): Promise<T> => {
    if (!inRequestScope()) return read(...args);
    const answer = ahead(...args);
    ahead.forget(...args);
    return answer;
  };
  return Object.assign(take, { prime: ahead.prime });
}

/**
 * `read`, its answers kept in the configuration cache when there is one; `tagsOf` names the
 * narrower changes that forget an answer too (configuration-cache.ts).
 */
const keptIn =
  (cache: ConfigurationCache | undefined) =>
  <Args extends unknown[], T>(
    name: string,
    read: (...args: Args) => Promise<T>,
    keyOf: (...args: Args) => string,
    tagsOf?: (...args: Args) => readonly string[],
  ): ((...args: Args) => Promise<T>) =>
    cache
      ? (...args) =>
          cache.remembered(`${name}\u0000${keyOf(...args)}`, () => read(...args), tagsOf?.(...args))
      : read;

const byId = (id: string) => id;
const byList = (values: readonly string[]) => values.join(' ');

/** What sign-ins read of the configuration, kept across requests in `cache` when there is one. */
function configurationReads(query: Query, cache: ConfigurationCache | undefined) {
  const kept = keptIn(cache);
  const organizations = organizationQueries(query);
  const realm = realmQueries(query);
  return {
    organizations: {
      find: kept('organization', organizations.find, byId),
      findBySlug: kept('organization-by-slug', organizations.findBySlug, byId),
      chain: kept('organization-chain', organizations.chain, byId),
      chainBySlug: kept('organization-chain-by-slug', organizations.chainBySlug, byId),
    },
    realm: {
      domainsOf: kept('domains-of', realm.domainsOf, byId),
      connectionsOf: kept('connections-of', realm.connectionsOf, byId),
      routingRulesOf: kept('routing-rules-of', realm.routingRulesOf, byList),
      rolesOf: kept('roles-of', realm.rolesOf, byList),
    },
    connectionById: kept('connection', connectionByIdQuery(query), byId),
    verifiedDomainsAmong: kept('verified-domains', verifiedDomainsQuery(query), byList),
  };
}

/**
 * The reads and writes of every sign-in and token issue, as prepared statements in place of the
 * Prisma repositories' (see user-by-id.ts for why), on the root database only: a transaction's
 * repositories stay on Prisma, on the transaction's own session. Reads that several steps of one
 * sign-in repeat are answered once per request there (lib/request-scope.ts), and what they read of
 * the configuration is kept across requests when there is a configuration cache.
 */
export function preparedRepositories(repositories: Repositories, query: Query, cache?: ConfigurationCache) {
  const configuration = configurationReads(query, cache);
  const { chain, chainBySlug, ...organizationLookups } = configuration.organizations;
  const chainOf = oncePerRequest('organization-chain', chain, byId);
  const writes = signInWriteQueries(query, repositories.grantOrganizations.bind);
  const { realm } = configuration;
  const accounts = accountQueries(query);
  const connectionById = oncePerRequest('connection', configuration.connectionById, byId);
  // The user's claims for the ID token, the session's account check and the sign-in itself.
  const userById = oncePerRequest('user', userByIdQuery(query), byId);
  // A row written within a sign-in (a connection's IdP metadata, learned there; a user's verified
  // email) is read afresh after.
  const forgetting =
    (memo: { forget(id: string): void }) =>
    <Args extends [string, ...unknown[]], T>(write: (...args: Args) => Promise<T>) =>
    async (...args: Args): Promise<T> => {
      try {
        return await write(...args);
      } finally {
        memo.forget(args[0]);
      }
    };
  // An access read walks the organization's chain and reads the user: the reads that follow
  // in the same request (inherited policies, the token's claims) take those rows.
  const access = createOrganizationAccessQuery(query, ({ organizations, user }) => {
    if (!inRequestScope()) return;
    if (organizations) {
      const found = organizations();
      chainOf.prime(found, found[0]!.id);
    }
    if (user) {
      const found = user();
      userById.prime(found, found.id);
    }
  });
  // A user's standing in an organization (the chain, their membership, the roles), forgotten as
  // well on a change to the user's memberships. Kept answers prime nothing: only a read from the
  // database offers its rows to the request (a user row kept here could be older than the
  // request's own write of it).
  const standing = keptIn(cache)(
    'standing',
    access.forUser,
    (organizationRef, userId) => `${organizationRef}\u0000${userId}`,
    (_organizationRef, userId) => [MEMBERSHIPS_TAG, userTag(userId)],
  );
  const grantAccess = takenOnceAhead('grant-access-ahead', access.forGrant);
  const userAccess = takenOnceAhead('user-access-ahead', standing);
  const primingAccess = async (read: Promise<TokenWithAccess>) => {
    const found = await read;
    if (found.grantId && inRequestScope()) grantAccess.prime(found.access, found.grantId);
    return found;
  };
  const forgettingConnection = forgetting(connectionById);
  const forgettingUser = forgetting(userById);
  return {
    users: {
      ...repositories.users,
      findById: userById,
      findByEmail: accounts.userByEmail,
      update: forgettingUser(repositories.users.update),
      delete: forgettingUser(repositories.users.delete),
    },
    identities: { ...repositories.identities, find: accounts.identityOf, touch: accounts.touchIdentity },
    memberships: {
      ...repositories.memberships,
      find: accounts.membershipOf,
      organizationIdsOf: accounts.organizationIdsOf,
    },
    mfaFactors: { ...repositories.mfaFactors, listFor: mfaFactorsForUserQuery(query) },
    // Read by each step of an enterprise sign-in: once per request there.
    connections: {
      ...repositories.connections,
      findById: connectionById,
      listFor: realm.connectionsOf,
      update: forgettingConnection(repositories.connections.update),
      delete: forgettingConnection(repositories.connections.delete),
    },
    // Read by several steps of one sign-in (http/middleware/sign-in-scope.ts): once per request there.
    domains: {
      ...repositories.domains,
      listFor: realm.domainsOf,
      findVerifiedAmong: oncePerRequest('verified-domains', configuration.verifiedDomainsAmong, byList),
    },
    organizations: {
      ...repositories.organizations,
      ...organizationLookups,
      // In a sign-in or token request an organization's chain is read right after it (its
      // inherited policies): there one walk up the tree answers both.
      find: (id: string) =>
        inRequestScope() ? chainOf(id).then((found) => found[0]) : organizationLookups.find(id),
      findBySlug: async (slug: string) => {
        if (!inRequestScope()) return organizationLookups.findBySlug(slug);
        const found = await chainBySlug(slug);
        if (found[0]) chainOf.prime(found, found[0].id);
        return found[0];
      },
      chain: chainOf,
    },
    access: {
      ...access,
      // The token endpoint's reads of access that a check ahead of it already made (a code's or
      // refresh token's grant, tokenWithAccess; an exchange's organization, forUserAhead): taken
      // once, then read again as before.
      forGrant: grantAccess,
      forUser: userAccess,
      async forUserAhead(organizationRef: string, userId: string) {
        const found = await standing(organizationRef, userId);
        if (inRequestScope()) userAccess.prime(found, organizationRef, userId);
        return found;
      },
      tokenWithAccess: (model: string, id: string, at: Date) =>
        primingAccess(access.tokenWithAccess(model, id, at)),
      grantWithAccess: (grantId: string, at: Date) => primingAccess(access.grantWithAccess(grantId, at)),
    },
    riskAssessments: {
      ...repositories.riskAssessments,
      ...riskAssessmentQueries(query),
      setOutcome: writes.setRiskOutcome,
    },
    monthlyActiveUsers: { ...repositories.monthlyActiveUsers, record: writes.recordMonthlyActiveUser },
    grantOrganizations: { ...repositories.grantOrganizations, bind: writes.bindGrant },
    routingRules: { ...repositories.routingRules, listForMany: realm.routingRulesOf },
    roles: { ...repositories.roles, listFor: realm.rolesOf },
    connectionHealth: { ...repositories.connectionHealth, upsert: writes.upsertConnectionHealth },
  };
}
