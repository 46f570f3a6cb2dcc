import type { KeptConfiguration } from './kept-configuration.js';
import type { IdentityRepository, RoutingRuleRepository } from './federation.js';
/** Durable records the domain reads and writes. data/ implements them on Prisma. */
import type { ConnectionRepository } from './connections.js';
import type { CustomDomainRepository } from './custom-domains.js';
import type { ConnectionHealthRepository } from './connection-health.js';
import type {
  DirectoryGroupRepository,
  DirectoryRepository,
  DirectoryUserRepository,
} from './directories.js';
import type { EventRepository } from './events.js';
import type { FederationRepository } from './federations.js';
import type { ImpersonationRepository } from './impersonations.js';
import type { MfaFactorRepository, RecoveryCodeRepository } from './mfa.js';
import type { MonthlyActiveUserRepository } from './monthly-active-users.js';
import type { PortalSetupLinkRepository } from './portal.js';
import type { RiskAssessmentRepository } from './risk.js';
import type { WebhookDeliveryRepository, WebhookEndpointRepository } from './webhooks.js';
import type {
  ApiKeyRepository,
  AuditRepository,
  DomainRepository,
  GrantOrganizationRepository,
  MembershipRepository,
  OrganizationAccessQuery,
  OrganizationRepository,
  PageRequest,
  RoleRepository,
} from './tenancy.js';

export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  /** Profile claims beyond email and name (given_name, family_name, locale, ...). */
  profile: Record<string, string>;
  passwordHash: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewUser = Omit<UserRecord, 'createdAt' | 'updatedAt' | 'profile'> &
  Partial<Pick<UserRecord, 'profile'>>;

export interface UserRepository {
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  list(filter?: { managedBy?: string }): Promise<UserRecord[]>;
  /** Keyset page ordered by id; `organizationIds` keeps users with a membership in any of them. */
  search(
    filter: { email?: string | undefined; organizationIds?: readonly string[] | undefined },
    page: PageRequest,
  ): Promise<UserRecord[]>;
  /** Throws ConflictError `email_taken` when another account has the email. */
  create(user: NewUser): Promise<UserRecord>;
  /** The users with these emails (a bulk import looks them up in one query). */
  findManyByEmail(emails: readonly string[]): Promise<UserRecord[]>;
  /** Inserts all of them in one statement; a taken email fails the whole statement. */
  createMany(users: readonly NewUser[]): Promise<UserRecord[]>;
  update(id: string, changes: Partial<Omit<NewUser, 'id'>>): Promise<UserRecord>;
  delete(id: string): Promise<void>;
}

export interface ClientRecord {
  id: string;
  name: string | null;
  /** AES-256-GCM envelope (lib/crypto/envelope); null for public clients. */
  secretCiphertext: string | null;
  /** oidc-provider client metadata other than client_id and client_secret. */
  metadata: Record<string, unknown>;
  /** Owning organization; null for environment-wide clients. */
  organizationId: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewClient = Omit<ClientRecord, 'createdAt' | 'updatedAt'>;

export interface ClientRepository {
  find(id: string): Promise<ClientRecord | undefined>;
  list(filter?: { managedBy?: string; organizationIds?: readonly string[] }): Promise<ClientRecord[]>;
  /** Keyset page ordered by id. */
  page(
    filter: { organizationIds?: readonly string[] | undefined },
    page: PageRequest,
  ): Promise<ClientRecord[]>;
  /** Throws ConflictError `client_exists` when the id is taken. */
  create(client: NewClient): Promise<ClientRecord>;
  upsert(client: NewClient): Promise<ClientRecord>;
  delete(id: string): Promise<void>;
}

export type SigningKeyState = 'next' | 'current' | 'previous' | 'retired';
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  state: SigningKeyState;
  publicJwk: Record<string, unknown>;
  /** AES-256-GCM envelope of the private JWK (JSON). */
  privateJwkCt: string;
  createdAt: Date;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
}

export interface SigningKeyRepository {
  list(states?: SigningKeyState[]): Promise<SigningKeyRecord[]>;
  insert(key: Omit<SigningKeyRecord, 'createdAt'>): Promise<void>;
  setState(kid: string, state: SigningKeyState, at: Date): Promise<void>;
}

export interface Repositories {
  users: UserRepository;
  clients: ClientRepository;
  signingKeys: SigningKeyRepository;
  organizations: OrganizationRepository;
  roles: RoleRepository;
  memberships: MembershipRepository;
  domains: DomainRepository;
  connections: ConnectionRepository;
  apiKeys: ApiKeyRepository;
  grantOrganizations: GrantOrganizationRepository;
  audit: AuditRepository;
  routingRules: RoutingRuleRepository;
  identities: IdentityRepository;
  mfaFactors: MfaFactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  events: EventRepository;
  webhookEndpoints: WebhookEndpointRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  directories: DirectoryRepository;
  directoryUsers: DirectoryUserRepository;
  directoryGroups: DirectoryGroupRepository;
  impersonations: ImpersonationRepository;
  customDomains: CustomDomainRepository;
  monthlyActiveUsers: MonthlyActiveUserRepository;
  connectionHealth: ConnectionHealthRepository;
  portalSetupLinks: PortalSetupLinkRepository;
  federations: FederationRepository;
  riskAssessments: RiskAssessmentRepository;
}

/** Runs `work` in one database transaction: all of it is written, or none. */
export interface Database extends Repositories {
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Serializes work across processes (PostgreSQL advisory lock held for the transaction). */
  withLock<T>(name: string, work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Hot-path reads for token issue (plain SQL, outside any transaction). */
  access: OrganizationAccessQuery;
  /** The configuration kept across requests, when this database keeps it (CONFIGURATION_CACHE). */
  readonly keptConfiguration?: KeptConfiguration;
  ping(): Promise<void>;
  close(): Promise<void>;
}
