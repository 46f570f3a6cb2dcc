import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import type { SessionsAdmin } from '../../../domain/sessions/sessions-admin.js';
import type { AdminRoute } from '../route.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { clientRoutes } from './clients.js';
import { connectionRoutes } from './connections.js';
import { directoryRoutes } from './directories.js';
import { domainRoutes } from './domains.js';
import { customDomainRoutes } from './custom-domains.js';
import { entitlementRoutes } from './entitlements.js';
import { eventRoutes } from './events.js';
import { federationRoutes } from './federations.js';
import { riskAssessmentRoutes } from './risk-assessments.js';
import { impersonationRoutes } from './impersonations.js';
import { membershipRoutes } from './memberships.js';
import { mfaRoutes } from './mfa.js';
import { organizationRoutes } from './organizations.js';
import { portalLinkRoutes } from './portal-links.js';
import { provisioningRoutes } from './provisioning.js';
import { roleRoutes } from './roles.js';
import { routingRoutes } from './routing.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

/** Every resource of the admin API, in the order openapi.json lists them. */
export function adminRoutes(
  services: AdminServices & { sessions: SessionsAdmin } & Parameters<typeof entitlementRoutes>[0] &
    Parameters<typeof portalLinkRoutes>[0] &
    Parameters<typeof federationRoutes>[0] &
    Parameters<typeof customDomainRoutes>[0] &
    Parameters<typeof riskAssessmentRoutes>[0],
): AdminRoute[] {
  return [
    ...organizationRoutes(services),
    ...entitlementRoutes(services),
    ...roleRoutes(services),
    ...membershipRoutes(services),
    ...domainRoutes(services),
    ...customDomainRoutes(services),
    ...connectionRoutes(services),
    ...routingRoutes(services),
    ...directoryRoutes(services),
    ...portalLinkRoutes(services),
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
    ...federationRoutes(services),
    ...riskAssessmentRoutes(services),
  ];
}
