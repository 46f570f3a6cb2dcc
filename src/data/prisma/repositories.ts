import type { Repositories } from '../../domain/ports/repositories.js';
import { createApiKeyRepository } from './api-key-repository.js';
import { createAuditRepository } from './audit-repository.js';
import { createClientRepository } from './client-repository.js';
import { createConnectionRepository } from './connection-repository.js';
import { createDomainRepository } from './domain-repository.js';
import { createGrantOrganizationRepository } from './grant-organization-repository.js';
import { createMembershipRepository } from './membership-repository.js';
import { createOrganizationRepository } from './organization-repository.js';
import type { PrismaExecutor } from './prisma-client.js';
import { createRoleRepository } from './role-repository.js';
import { createSigningKeyRepository } from './signing-key-repository.js';
import { createUserRepository } from './user-repository.js';

/** Bound to either the root client or a transaction client: same code, different scope. */
export function createRepositories(db: PrismaExecutor): Repositories {
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
    audit: createAuditRepository(db),
  };
}
