import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import type { AdminRoute } from '../route.js';
import { apiKeyRoutes } from './api-keys.js';
import { clientRoutes } from './clients.js';
import { connectionRoutes } from './connections.js';
import { domainRoutes } from './domains.js';
import { membershipRoutes } from './memberships.js';
import { organizationRoutes } from './organizations.js';
import { roleRoutes } from './roles.js';
import { userRoutes } from './users.js';

/** Every resource of the admin API, in the order openapi.json lists them. */
export function adminRoutes(services: AdminServices): AdminRoute[] {
  return [
    ...organizationRoutes(services),
    ...roleRoutes(services),
    ...membershipRoutes(services),
    ...domainRoutes(services),
    ...connectionRoutes(services),
    ...clientRoutes(services),
    ...userRoutes(services),
    ...apiKeyRoutes(services),
  ];
}
