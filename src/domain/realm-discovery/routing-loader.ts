import { coveringPatterns } from '../organizations/domain-names.js';
import { findOrganization } from '../organizations/tenancy-scope.js';
import type { ConnectionRecord } from '../ports/connections.js';
import type { Repositories } from '../ports/repositories.js';
import type { DomainRecord, OrganizationRecord } from '../ports/tenancy.js';
import {
  routeLogin,
  routingDomain,
  type LoginHints,
  type RoutingDecision,
  type RoutingInput,
  type RoutingOrganization,
} from './route-login.js';

export interface LoadedRouting {
  input: RoutingInput;
  /** The hints as routeLogin takes them: a connection named by its key is resolved to its id. */
  hints: LoginHints;
}

/** The decision with the names an operator reads (slug, connection key) beside the ids. */
export interface NamedDecision {
  decision: RoutingDecision;
  organization: { id: string; slug: string } | null;
  connection: { id: string; key: string } | null;
}

/** The most specific verified claim among `claims` (patterns are most specific first). */
function owner(claims: readonly DomainRecord[], patterns: readonly string[]): string | undefined {
  const ranked = [...claims].sort((a, b) => patterns.indexOf(a.domain) - patterns.indexOf(b.domain));
  return ranked[0]?.organizationId;
}

/**
 * The hinted connection: an id (`con_...`) anywhere, else a key of the hinted organization or,
 * without one, of the organization that owns the email's domain (keys are unique per organization).
 */
async function hintedConnection(
  repos: Repositories,
  ref: string,
  within: string | undefined,
): Promise<ConnectionRecord | undefined> {
  const byId = ref.startsWith('con_') ? await repos.connections.findById(ref) : undefined;
  if (byId) return byId;
  return within ? repos.connections.find(within, ref) : undefined;
}

/** One candidate as routeLogin sees it; suspended when the organization or any ancestor is. */
async function routingOrganization(
  repos: Repositories,
  organizationId: string,
  rulesOf: (organizationId: string) => RoutingOrganization['rules'],
): Promise<{ organization: RoutingOrganization; connections: ConnectionRecord[] } | undefined> {
  const [chain, domains, connections] = await Promise.all([
    repos.organizations.chain(organizationId),
    repos.domains.listFor(organizationId),
    repos.connections.listFor(organizationId),
  ]);
  const row: OrganizationRecord | undefined = chain[0];
  if (!row) return undefined;
  const policy = row.domainPolicy;
  return {
    organization: {
      id: row.id,
      slug: row.slug,
      status: chain.every((link) => link.status === 'active') ? 'active' : 'suspended',
      verifiedDomains: domains.filter((claim) => claim.verifiedAt !== null).map((claim) => claim.domain),
      rules: rulesOf(row.id),
      ...(row.fallbackConnectionId ? { fallbackConnection: row.fallbackConnectionId } : {}),
      // Defaults as the domain policy documents them: local passwords allowed, SSO not required.
      allowLocalPasswords: policy.allow_local_passwords !== false,
      ssoRequired: policy.sso_required === true,
    },
    connections,
  };
}

/**
 * Reads only what routeLogin needs for this email and these hints, never every organization: the
 * holders of a verified claim covering the domain (one indexed read of the unique
 * `verified_domain` column), the hinted organization and the hinted connection's organization,
 * each with its verified domains, rules and connections.
 */
export async function loadRoutingInput(
  repos: Repositories,
  email: string | undefined,
  hints: LoginHints,
): Promise<LoadedRouting> {
  const domain = routingDomain(email, hints);
  const patterns = domain ? coveringPatterns(domain) : [];
  const [claims, hinted] = await Promise.all([
    repos.domains.findVerifiedAmong(patterns),
    hints.organization ? findOrganization(repos, hints.organization) : undefined,
  ]);
  const home = owner(claims, patterns);
  const connection = hints.connection
    ? await hintedConnection(repos, hints.connection, hinted?.id ?? home)
    : undefined;
  const partnerSources =
    hinted &&
    home &&
    home !== hinted.id &&
    (await repos.federations.partnerRules(hinted.id, [home])).length > 0
      ? [home]
      : undefined;
  const ids = [
    ...new Set([
      ...claims.map((claim) => claim.organizationId),
      ...(hinted ? [hinted.id] : []),
      ...(connection ? [connection.organizationId] : []),
    ]),
  ];
  const rules = await repos.routingRules.listForMany(ids);
  const rulesOf = (organizationId: string) =>
    rules
      .filter((rule) => rule.organizationId === organizationId)
      .map((rule) => ({ domain: rule.domain, connection: rule.connectionId, priority: rule.priority }));
  const loaded = (await Promise.all(ids.map((id) => routingOrganization(repos, id, rulesOf)))).filter(
    (entry) => entry !== undefined,
  );
  return {
    input: {
      organizations: loaded.map((entry) => entry.organization),
      connections: loaded.flatMap((entry) =>
        entry.connections.map(({ id, organizationId, enabled, key }) => ({
          id,
          organizationId,
          enabled,
          key,
        })),
      ),
      ...(partnerSources ? { partnerSources } : {}),
    },
    hints: connection ? { ...hints, connection: connection.id } : hints,
  };
}

/** Home realm discovery on the stored model: which connection signs this user in, and why. */
export function createRealmDiscovery(db: Repositories) {
  return {
    async decide(email: string | undefined, hints: LoginHints): Promise<RoutingDecision> {
      const loaded = await loadRoutingInput(db, email, hints);
      return routeLogin(email, loaded.hints, loaded.input);
    },

    /** The decision with the organization's slug and the connection's key, for operators. */
    async explain(email: string | undefined, hints: LoginHints): Promise<NamedDecision> {
      const { input, hints: resolved } = await loadRoutingInput(db, email, hints);
      const decision = routeLogin(email, resolved, input);
      if (decision.kind !== 'connection') return { decision, organization: null, connection: null };
      const organization = input.organizations.find((org) => org.id === decision.organizationId);
      const connection = input.connections.find((candidate) => candidate.id === decision.connectionId);
      return {
        decision,
        organization: organization ? { id: organization.id, slug: organization.slug } : null,
        connection: connection ? { id: connection.id, key: connection.key ?? connection.id } : null,
      };
    },
  };
}
export type RealmDiscovery = ReturnType<typeof createRealmDiscovery>;
