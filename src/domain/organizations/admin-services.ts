import type { Envelope } from '../../lib/crypto/envelope.js';
import type { PasswordHasher } from '../../lib/crypto/password.js';
import type { Database } from '../ports/repositories.js';
import { createApiKeys } from './api-keys.js';
import { createClientsAdmin } from './clients-admin.js';
import { createConnectionsAdmin } from './connections-admin.js';
import type { DnsResolver } from './domain-verification.js';
import { createDomainsAdmin } from './domains-admin.js';
import { createMembershipsAdmin } from './memberships-admin.js';
import { createOrganizationsAdmin } from './organizations-admin.js';
import { createRolesAdmin } from './roles-admin.js';
import { createUsersAdmin } from './users-admin.js';

export interface AdminServiceDeps {
  envelope: Envelope;
  hasher: PasswordHasher;
  dns: DnsResolver;
  now?: () => Date;
}

/** Everything the admin API and the CLI change, each write scoped to its principal and recorded. */
export function createAdminServices(db: Database, deps: AdminServiceDeps) {
  return {
    organizations: createOrganizationsAdmin(db),
    roles: createRolesAdmin(db),
    memberships: createMembershipsAdmin(db),
    domains: createDomainsAdmin(db, deps.dns, deps.now),
    apiKeys: createApiKeys(db, deps.now),
    users: createUsersAdmin(db, deps.hasher),
    clients: createClientsAdmin(db, deps.envelope),
    connections: createConnectionsAdmin(db, deps.envelope),
  };
}
export type AdminServices = ReturnType<typeof createAdminServices>;
