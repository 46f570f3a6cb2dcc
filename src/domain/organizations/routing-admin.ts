import { ForbiddenError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { createRealmDiscovery, type NamedDecision } from '../realm-discovery/routing-loader.js';
import type { LoginHints } from '../realm-discovery/route-login.js';
import type { AdminPrincipal } from './admin-principal.js';
import type { RoutingSettings } from './routing-input.js';
import { routingView, validateRouting } from './routing-settings.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

async function currentRouting(
  repos: Repositories,
  organization: OrganizationRecord,
): Promise<RoutingSettings> {
  const [rules, connections] = await Promise.all([
    repos.routingRules.listFor(organization.id),
    repos.connections.listFor(organization.id),
  ]);
  return routingView(rules, organization.fallbackConnectionId, connections);
}

/** An organization's home-realm routing (rules and fallback), and the operators' explanation of it. */
export function createRoutingAdmin(db: Database) {
  const discovery = createRealmDiscovery(db);
  return {
    async get(principal: AdminPrincipal, orgRef: string): Promise<RoutingSettings> {
      return currentRouting(db, await visibleOrganization(db, principal, orgRef));
    },

    /** Replaces the whole rule list and the fallback at once: readers see the old or the new. */
    replace(principal: AdminPrincipal, orgRef: string, settings: RoutingSettings): Promise<RoutingSettings> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const [claims, connections] = await Promise.all([
          repos.domains.listFor(organization.id),
          repos.connections.listFor(organization.id),
        ]);
        const verified = claims.filter((claim) => claim.verifiedAt !== null).map((claim) => claim.domain);
        const resolved = validateRouting(settings, verified, connections);
        const before = await currentRouting(repos, organization);
        const rules = await repos.routingRules.replace(organization.id, resolved.rules);
        await repos.organizations.update(organization.id, {
          fallbackConnectionId: resolved.fallbackConnectionId,
        });
        const after = routingView(rules, resolved.fallbackConnectionId, connections);
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'routing.update',
          targetType: 'routing',
          targetId: organization.id,
          before,
          after,
        });
        return after;
      });
    },

    /**
     * Which connection would sign in this email, and why. Operators only: the answer tells which
     * organization verified a domain, which a delegated admin of another tenant must not learn.
     */
    async explain(
      principal: AdminPrincipal,
      email: string | undefined,
      hints: LoginHints,
    ): Promise<NamedDecision> {
      if (principal.scope.kind !== 'environment') {
        throw new ForbiddenError('only environment admins may explain routing decisions');
      }
      return discovery.explain(email, hints);
    },
  };
}
export type RoutingAdmin = ReturnType<typeof createRoutingAdmin>;
