import type { AuditSealer } from '../../domain/audit/record-hash.js';
import type { Repositories } from '../../domain/ports/repositories.js';
import { createApiKeyRepository } from './api-key-repository.js';
import { createAuditRepository } from './audit-repository.js';
import { createClientRepository } from './client-repository.js';
import { createConnectionRepository } from './connection-repository.js';
import { createCustomDomainRepository } from './custom-domain-repository.js';
import { createConnectionHealthRepository } from './connection-health-repository.js';
import { createDirectoryGroupRepository } from './directory-group-repository.js';
import { createDirectoryRepository } from './directory-repository.js';
import { createDirectoryUserRepository } from './directory-user-repository.js';
import { createDomainRepository } from './domain-repository.js';
import { createEventRepository } from './event-repository.js';
import { createFederationRepository } from './federation-repository.js';
import { createIdentityRepository } from './identity-repository.js';
import { createImpersonationRepository } from './impersonation-repository.js';
import { createGrantOrganizationRepository } from './grant-organization-repository.js';
import { createMembershipRepository } from './membership-repository.js';
import { createMfaFactorRepository } from './mfa-factor-repository.js';
import { createMonthlyActiveUserRepository } from './monthly-active-user-repository.js';
import { createOrganizationRepository } from './organization-repository.js';
import { createPortalSetupLinkRepository } from './portal-setup-link-repository.js';
import type { ChainAppender } from './audit-chain-fast-append.js';
import type { PrismaExecutor } from './prisma-client.js';
import { createRecoveryCodeRepository } from './recovery-code-repository.js';
import { createRiskAssessmentRepository } from './risk-assessment-repository.js';
import { createRoleRepository } from './role-repository.js';
import { createRoutingRuleRepository } from './routing-rule-repository.js';
import { createSigningKeyRepository } from './signing-key-repository.js';
import { createUserRepository } from './user-repository.js';
import { createWebhookDeliveryRepository } from './webhook-delivery-repository.js';
import { createWebhookEndpointRepository } from './webhook-endpoint-repository.js';

/**
 * Bound to either the root client or a transaction client: same code, different scope. In a
 * transaction, queued events and audit records wait for the runner's flush before COMMIT
 * (event-repository.ts, audit-repository.ts).
 */
export function createRepositories(
  db: PrismaExecutor,
  options: { inTransaction?: boolean; auditSealer: AuditSealer; appender?: ChainAppender },
): Repositories {
  return {
    users: createUserRepository(db),
    clients: createClientRepository(db),
    signingKeys: createSigningKeyRepository(db),
    organizations: createOrganizationRepository(db),
    roles: createRoleRepository(db),
    memberships: createMembershipRepository(db),
    domains: createDomainRepository(db),
    connections: createConnectionRepository(db),
    apiKeys: createApiKeyRepository(db),
    grantOrganizations: createGrantOrganizationRepository(db),
    audit: createAuditRepository(db, {
      sealer: options.auditSealer,
      inTransaction: options.inTransaction ?? false,
      appender: options.appender,
    }),
    routingRules: createRoutingRuleRepository(db),
    identities: createIdentityRepository(db),
    mfaFactors: createMfaFactorRepository(db),
    recoveryCodes: createRecoveryCodeRepository(db),
    events: createEventRepository(db, options),
    webhookEndpoints: createWebhookEndpointRepository(db),
    webhookDeliveries: createWebhookDeliveryRepository(db),
    directories: createDirectoryRepository(db),
    directoryUsers: createDirectoryUserRepository(db),
    directoryGroups: createDirectoryGroupRepository(db),
    impersonations: createImpersonationRepository(db),
    customDomains: createCustomDomainRepository(db),
    monthlyActiveUsers: createMonthlyActiveUserRepository(db),
    connectionHealth: createConnectionHealthRepository(db),
    portalSetupLinks: createPortalSetupLinkRepository(db),
    federations: createFederationRepository(db),
    riskAssessments: createRiskAssessmentRepository(db),
  };
}
