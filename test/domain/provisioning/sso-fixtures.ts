import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import type { Database } from '../../../src/domain/ports/repositories.js';
import type { ConnectionRecord } from '../../../src/domain/ports/connections.js';
import type { OrganizationRecord, ProvisioningPolicy } from '../../../src/domain/ports/tenancy.js';
import type { UpstreamIdentity } from '../../../src/domain/provisioning/upstream-identity.js';
import { testDatabaseUrl } from '../../support/services.js';
import { createStoredOrganization } from '../../support/stored-organization.js';

/** The run's migrated PostgreSQL database, open for the suite. */
export function useTestDatabase(): () => OpenedDatabase {
  let db: OpenedDatabase | undefined;
  beforeAll(async () => {
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' });
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (!db) throw new Error('the database is opened in beforeAll');
    return db;
  };
}

/** A domain no other test of the run uses (they share one database, and verified domains are unique). */
export const uniqueDomain = (label = 'uw') => `${label}-${randomUUID().slice(0, 8)}.example`;

/** The marine underwriting example of the product card: roles, rules, a verified domain, an IdP. */
export const MARITIME_RULES: NonNullable<ProvisioningPolicy['role_rules']> = [
  { condition: "maritime_role == 'Senior_Underwriter'", assign_role: 'senior_underwriter' },
  { condition: "department in ['Cargo', 'Hull']", assign_role: 'claims_adjuster' },
];
export const MARITIME_MAP = {
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/role': 'maritime_role',
  dept: 'department',
};

export interface OrganizationSetup {
  provisioning?: ProvisioningPolicy;
  defaultRole?: string | null;
  parentId?: string;
  roles?: string[];
  /** Verified claims; each may be a wildcard (`*.x.example`). */
  domains?: string[];
  attributeMap?: Record<string, string>;
  connectionType?: 'oidc' | 'saml';
}

export interface TestOrganization {
  organization: OrganizationRecord;
  connection: ConnectionRecord;
  domain: string;
}

export async function createTestOrganization(
  db: Database,
  setup: OrganizationSetup = {},
): Promise<TestOrganization> {
  const domain = uniqueDomain();
  const organization = await createStoredOrganization(db, {
    slug: `maritime-${randomUUID().slice(0, 8)}`,
    name: 'Maritime Underwriters',
    parentId: setup.parentId ?? null,
    defaultRole: setup.defaultRole === undefined ? 'member' : setup.defaultRole,
    provisioning: setup.provisioning ?? { jit: true, approval: 'none', role_rules: MARITIME_RULES },
  });
  for (const name of setup.roles ?? ['member', 'senior_underwriter', 'claims_adjuster', 'auditor']) {
    await db.roles.create({
      id: `rol_${randomUUID()}`,
      organizationId: organization.id,
      name,
      description: null,
      permissions: [name],
      admin: false,
      overridable: false,
    });
  }
  for (const claim of setup.domains ?? [domain]) await verifyDomain(db, organization.id, claim);
  const connection = await addConnection(db, organization.id, setup);
  return { organization, connection, domain };
}

export async function verifyDomain(db: Database, organizationId: string, domain: string): Promise<void> {
  await db.domains.create({
    id: `dom_${randomUUID()}`,
    organizationId,
    domain,
    verificationToken: randomUUID(),
    verifiedAt: new Date(),
    verificationMethod: 'operator',
    lastCheckedAt: null,
    managedBy: null,
  });
}

export function addConnection(
  db: Database,
  organizationId: string,
  setup: Pick<OrganizationSetup, 'attributeMap' | 'connectionType'> = {},
): Promise<ConnectionRecord> {
  return db.connections.create({
    id: `con_${randomUUID()}`,
    organizationId,
    key: `idp-${randomUUID().slice(0, 8)}`,
    type: setup.connectionType ?? 'oidc',
    preset: null,
    enabled: true,
    settings: {},
    attributeMap: setup.attributeMap ?? MARITIME_MAP,
    secretCiphertext: null,
    managedBy: null,
  });
}

/** What federation/oidc hands over after verifying an ID token. */
export function oidcIdentity(
  connection: ConnectionRecord,
  email: string,
  overrides: Partial<UpstreamIdentity> = {},
): UpstreamIdentity {
  return {
    connectionId: connection.id,
    protocol: connection.type,
    subject: `sub-${randomUUID()}`,
    claims: { email, email_verified: true, given_name: 'Ada', family_name: 'Lovelace' },
    email,
    emailVerified: true,
    authenticationMethods: ['pwd'],
    ...overrides,
  };
}
