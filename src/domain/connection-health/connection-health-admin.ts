import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleOrganization } from '../organizations/tenancy-scope.js';
import type { Database } from '../ports/repositories.js';
import { BANNER_DAYS } from './certificate-expiry.js';
import { healthView, type CertificatesOf, type ConnectionHealthView } from './health-view.js';

export interface ConnectionHealthReadsDeps {
  certificatesOf: CertificatesOf;
  now?: () => Date;
}

/** A connection's health for admins (admin API) and the portal, and the portal's expiry banner. */
export function createConnectionHealthAdmin(db: Database, deps: ConnectionHealthReadsDeps) {
  const now = deps.now ?? (() => new Date());
  const ofOrganization = async (organizationId: string): Promise<ConnectionHealthView[]> => {
    const connections = await db.connections.listFor(organizationId);
    const health = await db.connectionHealth.findMany(connections.map((connection) => connection.id));
    const at = now();
    return connections.map((connection) =>
      healthView(
        connection,
        health.find((row) => row.connectionId === connection.id),
        deps.certificatesOf(connection),
        at,
      ),
    );
  };

  return {
    ofOrganization,

    /** Admin API: cross-tenant or unknown connections are 404 alike. */
    async get(principal: AdminPrincipal, orgRef: string, key: string): Promise<ConnectionHealthView> {
      const organization = await visibleOrganization(db, principal, orgRef);
      const connection = await db.connections.find(organization.id, key);
      if (!connection) throw new NotFoundError(`connection ${key}`);
      const health = await db.connectionHealth.find(connection.id);
      return healthView(connection, health, deps.certificatesOf(connection), now());
    },

    /**
     * The portal banner: a sentence when an IdP certificate of one of the organization's enabled
     * connections expires within 30 days (or has expired); undefined otherwise.
     */
    async expiryBanner(organizationId: string): Promise<string | undefined> {
      const soon = (await ofOrganization(organizationId))
        .filter((view) => view.enabled)
        .flatMap((view) =>
          view.certificates.filter((c) => c.expiringSoon).map((c) => ({ key: view.key, ...c })),
        )
        .sort((a, b) => a.daysLeft - b.daysLeft);
      const first = soon[0];
      if (!first) return undefined;
      const when = first.expired
        ? 'has expired'
        : `expires in ${first.daysLeft} day${first.daysLeft === 1 ? '' : 's'}`;
      const more = soon.length > 1 ? ` (and ${soon.length - 1} more within ${BANNER_DAYS} days)` : '';
      return `The signing certificate of your identity provider for “${first.key}” ${when}${more}. Once the IdP signs with a new certificate, sign-ins fail until Gatehouse has it: give Gatehouse the IdP’s new metadata or certificate.`;
    },
  };
}
export type ConnectionHealthAdmin = ReturnType<typeof createConnectionHealthAdmin>;
