import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import type { SessionsAdmin } from '../../../domain/sessions/sessions-admin.js';
import type { AdminRoute } from '../route.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { clientRoutes } from './clients.js';
import { connectionRoutes } from './connections.js';
import { directoryRoutes } from './directories.js';
import { domainRoutes } from './domains.js';
import { eventRoutes } from './events.js';
import { impersonationRoutes } from './impersonations.js';
import { membershipRoutes } from './memberships.js';
import { mfaRoutes } from './mfa.js';
import { organizationRoutes } from './organizations.js';
import { provisioningRoutes } from './provisioning.js';
import { roleRoutes } from './roles.js';
import { routingRoutes } from './routing.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

/** Every resource of the admin API, in the order openapi.json lists them. */
export function adminRoutes(services: AdminServices & { sessions: SessionsAdmin }): AdminRoute[] {
  return [
    ...organizationRoutes(services),
    ...roleRoutes(services),
    ...membershipRoutes(services),
    ...domainRoutes(services),
    ...connectionRoutes(services),
    ...routingRoutes(services),
    ...directoryRoutes(services),
    ...provisioningRoutes(services),
    ...clientRoutes(services),
    ...userRoutes(services),
    ...mfaRoutes(services),
    ...sessionRoutes(services),
    ...apiKeyRoutes(services),
    ...impersonationRoutes(services),
    ...eventRoutes(services),
    ...auditRoutes(services),
    ...webhookRoutes(services),
  ];
}
