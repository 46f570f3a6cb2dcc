import { testedCurrentSettings } from '../connection-health/health-view.js';
import { NotFoundError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import type { AdminServices } from '../organizations/admin-services.js';
import type { ConnectionRecord } from '../ports/connections.js';
import type { Database } from '../ports/repositories.js';
import type { RoleRuleSetting } from '../ports/tenancy.js';
import { previewMapping, type MappingPreview } from './mapping-preview.js';

/** Where a rule added at activation goes: after rules an administrator ordered on purpose. */
const ACTIVATION_RULE_PRIORITY = 100;

type Services = Pick<AdminServices, 'connections' | 'routing' | 'provisioning'>;

/**
 * The portal's SSO setup beyond plain connection writes: activation after a test, routing the
 * organization's verified domains, and the mapping editor's preview and save. Every write goes
 * through the admin services (their validation, their audit record) as the portal's principal.
 */
export function createSsoSetup(db: Database, services: Services) {
  /** The organization's own connection by id; anything else is unknown. */
  const connectionOf = async (organizationId: string, connectionId: string): Promise<ConnectionRecord> => {
    const connection = await db.connections.findById(connectionId);
    if (connection?.organizationId !== organizationId) throw new NotFoundError(`connection ${connectionId}`);
    return connection;
  };

  /** Verified domains no rule routes yet get a rule to the connection; returns those domains. */
  const routeVerifiedDomains = async (principal: AdminPrincipal, organizationId: string, key: string) => {
    const current = await services.routing.get(principal, organizationId);
    const routed = new Set(current.rules.map((rule) => rule.domain));
    const domains = (await db.domains.listFor(organizationId))
      .filter((claim) => claim.verifiedAt !== null && !routed.has(claim.domain))
      .map((claim) => claim.domain);
    if (domains.length === 0) return [];
    const added = domains.map((domain) => ({ domain, connection: key, priority: ACTIVATION_RULE_PRIORITY }));
    await services.routing.replace(principal, organizationId, {
      ...current,
      rules: [...current.rules, ...added],
    });
    return domains;
  };

  return {
    connectionOf,

    /**
     * Turns the connection on, but only once a test sign-in passed with its current settings
     * (the digest the test stored, see connection-health/settings-digest.ts); optionally routes
     * the organization's verified domains that no rule routes yet to it (for an active one too).
     */
    async activate(
      principal: AdminPrincipal,
      organizationId: string,
      connectionId: string,
      options: { routeDomains: boolean },
    ): Promise<{ routedDomains: string[] }> {
      const connection = await connectionOf(organizationId, connectionId);
      // An active connection only gets the routing; turning one on needs the test.
      const tested =
        connection.enabled ||
        testedCurrentSettings(connection, await db.connectionHealth.find(connection.id));
      if (!tested) {
        throw new RuleViolationError(
          'run a successful test of the connection with its current settings before activating it',
          'connection_untested',
        );
      }
      if (!connection.enabled) {
        await services.connections.update(principal, organizationId, connection.key, { enabled: true });
      }
      const routedDomains = options.routeDomains
        ? await routeVerifiedDomains(principal, organizationId, connection.key)
        : [];
      return { routedDomains };
    },

    /** What the edited map and rules make of the last received attributes; undefined before any test or sign-in. */
    async preview(
      organizationId: string,
      connectionId: string,
      attributeMap: Record<string, string>,
      roleRules: readonly RoleRuleSetting[],
    ): Promise<MappingPreview | undefined> {
      const connection = await connectionOf(organizationId, connectionId);
      const received = (await db.connectionHealth.find(connection.id))?.lastAttributes;
      return received ? previewMapping(db, organizationId, received, attributeMap, roleRules) : undefined;
    },

    /** Saves the connection's attribute map and the organization's role rules (JIT and approval kept). */
    async saveMapping(
      principal: AdminPrincipal,
      organizationId: string,
      connectionId: string,
      attributeMap: Record<string, string>,
      roleRules: RoleRuleSetting[],
    ): Promise<void> {
      const connection = await connectionOf(organizationId, connectionId);
      const policy = await services.provisioning.get(principal, organizationId);
      // Rules first: they are checked against the organization's roles, and a refusal leaves both unsaved.
      await services.provisioning.replace(principal, organizationId, { ...policy, role_rules: roleRules });
      await services.connections.update(principal, organizationId, connection.key, {
        attribute_map: attributeMap,
      });
    },
  };
}
export type SsoSetup = ReturnType<typeof createSsoSetup>;
