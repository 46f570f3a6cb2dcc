import type { Repositories } from '../../domain/ports/repositories.js';
import { inRequestScope, oncePerRequest } from '../../lib/request-scope.js';
import { accountQueries } from './account-reads.js';
import { connectionByIdQuery } from './connection-by-id.js';
import { mfaFactorsForUserQuery } from './mfa-factors.js';
import { createOrganizationAccessQuery } from './organization-access.js';
import { organizationQueries } from './organization-lookup.js';
import type { Query } from './query.js';
import { realmQueries } from './realm-reads.js';
import { riskAssessmentQueries } from './risk-assessments.js';
import { signInWriteQueries } from './sign-in-writes.js';
import { userByIdQuery } from './user-by-id.js';
import { verifiedDomainsQuery } from './verified-domains.js';

/**
 * The reads and writes of every sign-in and token issue, as prepared statements in place of the
 * Prisma repositories' (see user-by-id.ts for why), on the root database only: a transaction's
 * repositories stay on Prisma, on the transaction's own session. Reads that several steps of one
 * sign-in repeat are answered once per request there (lib/request-scope.ts).
 */
export function preparedRepositories(repositories: Repositories, query: Query) {
  const { chain, chainBySlug, ...organizationLookups } = organizationQueries(query);
  const chainOf = oncePerRequest('organization-chain', chain, (id) => id);
  const writes = signInWriteQueries(query, repositories.grantOrganizations.bind);
  const realm = realmQueries(query);
  const accounts = accountQueries(query);
  const connectionById = oncePerRequest('connection', connectionByIdQuery(query), (id) => id);
  // A connection written within a sign-in (its IdP's metadata, learned there) is read afresh after.
  const forgettingConnection =
    <Args extends [string, ...unknown[]], T>(write: (...args: Args) => Promise<T>) =>
    async (...args: Args): Promise<T> => {
      try {
        return await write(...args);
      } finally {
        connectionById.forget(args[0]);
      }
    };
  return {
    users: { ...repositories.users, findById: userByIdQuery(query), findByEmail: accounts.userByEmail },
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
      findVerifiedAmong: oncePerRequest('verified-domains', verifiedDomainsQuery(query), (domains) =>
        domains.join(' '),
      ),
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
    // An access read walks the organization's chain: the chain read that follows in the same
    // request (its inherited policies) takes those rows.
    access: createOrganizationAccessQuery(query, (organizations) => {
      if (!inRequestScope()) return;
      const found = organizations();
      chainOf.prime(found, found[0]!.id);
    }),
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
