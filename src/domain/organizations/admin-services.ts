import type { SignInThrottle } from '../accounts/sign-in-throttle.js';
import { createAuditAdmin } from '../audit/audit-admin.js';
import { createConnectionHealthAdmin } from '../connection-health/connection-health-admin.js';
import type { CertificatesOf } from '../connection-health/health-view.js';
import { createDirectoriesAdmin } from '../directories/directories-admin.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { PasswordHasher } from '../../lib/crypto/password.js';
import {
  createImpersonationsAdmin,
  type ImpersonationsAdminDeps,
} from '../impersonation/impersonations-admin.js';
import { createFactorsAdmin } from '../mfa/factors-admin.js';
import type { Database } from '../ports/repositories.js';
import { createApiKeys } from './api-keys.js';
import { createClientsAdmin } from './clients-admin.js';
import { createConnectionsAdmin, type SpCredentialGenerator } from './connections-admin.js';
import type { DnsResolver } from './domain-verification.js';
import { createDomainsAdmin } from './domains-admin.js';
import { createEventsAdmin } from './events-admin.js';
import { createIdentitiesAdmin } from './identities-admin.js';
import { createMembershipsAdmin } from './memberships-admin.js';
import { createOrganizationsAdmin } from './organizations-admin.js';
import { createProvisioningAdmin } from './provisioning-admin.js';
import { createRolesAdmin } from './roles-admin.js';
import { createRoutingAdmin } from './routing-admin.js';
import { createUsersAdmin } from './users-admin.js';
import { createWebhooksAdmin } from './webhooks-admin.js';

export interface AdminServiceDeps {
  envelope: Envelope;
  hasher: PasswordHasher;
  dns: DnsResolver;
  /** Makes the SP key pair of each new SAML connection (federation/saml). */
  spCredential: SpCredentialGenerator;
  now?: () => Date;
  /** The backoff on sign-in attempts, which administrators can lift. */
  throttle?: Pick<SignInThrottle, 'unlock'>;
  /** Webhook URLs may be plain http to any host (outside production; see webhook-input.ts). */
  allowPlainHttpWebhooks?: boolean;
  /** Ends the browser sessions of a revoked support impersonation (the session registry). */
  endImpersonationSessions?: ImpersonationsAdminDeps['endSessions'];
  /** The IdP certificates of a connection, for its health (federation/saml); none when absent. */
  certificatesOf?: CertificatesOf;
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
    identities: createIdentitiesAdmin(db),
    mfa: createFactorsAdmin(db, deps.throttle ? { throttle: deps.throttle } : {}),
    clients: createClientsAdmin(db, deps.envelope),
    connections: createConnectionsAdmin(db, deps.envelope, { spCredential: deps.spCredential }),
    connectionHealth: createConnectionHealthAdmin(db, {
      certificatesOf: deps.certificatesOf ?? (() => []),
      ...(deps.now ? { now: deps.now } : {}),
    }),
    routing: createRoutingAdmin(db),
    provisioning: createProvisioningAdmin(db),
    directories: createDirectoriesAdmin(db),
    events: createEventsAdmin(db),
    audit: createAuditAdmin(db),
    impersonations: createImpersonationsAdmin(db, {
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.endImpersonationSessions ? { endSessions: deps.endImpersonationSessions } : {}),
    }),
    webhooks: createWebhooksAdmin(db, {
      envelope: deps.envelope,
      allowPlainHttp: deps.allowPlainHttpWebhooks ?? false,
    }),
  };
}
export type AdminServices = ReturnType<typeof createAdminServices>;
