/**
 * Durable records of the multi-tenant model: organizations (a tree), their roles, memberships,
 * domains, admin API keys, the organization each grant speaks for, and the admin write log.
 * data/ implements these on Prisma; the token path reads through `OrganizationAccessQuery`.
 */

export type OrganizationStatus = 'active' | 'suspended';
export type MembershipStatus = 'active' | 'pending' | 'suspended';

/** How an organization treats users whose email is in one of its verified domains. */
export interface DomainPolicy {
  /** Users with that email domain must sign in through the organization's SSO. */
  sso_required?: boolean;
  /** Users with that email domain may join the organization (with its default role). */
  auto_join?: boolean;
  /** Whether local passwords are accepted for users with that email domain (default true). */
  allow_local_passwords?: boolean;
}

export interface OrganizationRecord {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  status: OrganizationStatus;
  metadata: Record<string, unknown>;
  domainPolicy: DomainPolicy;
  /** Values set on this organization, plus `locked`: keys its sub-organizations may not override. */
  securityPolicies: Record<string, unknown>;
  defaultRole: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewOrganization = Omit<OrganizationRecord, 'createdAt' | 'updatedAt'>;
export type OrganizationChanges = Partial<Omit<NewOrganization, 'id'>>;

/** Keyset pagination: rows ordered by id, strictly after `after`, at most `limit`. */
export interface PageRequest {
  after?: string | undefined;
  limit: number;
}

export interface OrganizationFilter {
  /** null: top-level organizations only. */
  parentId?: string | null | undefined;
  status?: OrganizationStatus | undefined;
  slug?: string | undefined;
  /** Restricts the result to these ids (a delegated admin's subtree). */
  ids?: readonly string[] | undefined;
  managedBy?: string | undefined;
}

export interface OrganizationRepository {
  find(id: string): Promise<OrganizationRecord | undefined>;
  findBySlug(slug: string): Promise<OrganizationRecord | undefined>;
  list(filter: OrganizationFilter, page: PageRequest): Promise<OrganizationRecord[]>;
  /** The organization and its ancestors, nearest first (the organization itself is [0]). */
  chain(id: string): Promise<OrganizationRecord[]>;
  /** Ids of the organization and every organization below it. */
  subtreeIds(id: string): Promise<string[]>;
  create(organization: NewOrganization): Promise<OrganizationRecord>;
  update(id: string, changes: OrganizationChanges): Promise<OrganizationRecord>;
  delete(id: string): Promise<void>;
}

export interface RoleRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string | null;
  permissions: string[];
  admin: boolean;
  overridable: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export type NewRole = Omit<RoleRecord, 'createdAt' | 'updatedAt'>;
export type RoleChanges = Partial<Pick<RoleRecord, 'description' | 'permissions' | 'admin' | 'overridable'>>;

export interface RoleRepository {
  /** Every role defined by any of these organizations, ordered by organization then name. */
  listFor(organizationIds: readonly string[]): Promise<RoleRecord[]>;
  find(organizationId: string, name: string): Promise<RoleRecord | undefined>;
  create(role: NewRole): Promise<RoleRecord>;
  update(id: string, changes: RoleChanges): Promise<RoleRecord>;
  delete(id: string): Promise<void>;
}

export interface MembershipRecord {
  id: string;
  userId: string;
  organizationId: string;
  status: MembershipStatus;
  /** Role names, resolved against the organization's effective roles (its own and inherited). */
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}
export type NewMembership = Omit<MembershipRecord, 'createdAt' | 'updatedAt'>;
export type MembershipChanges = Partial<Pick<MembershipRecord, 'status' | 'roles'>>;

export interface MembershipFilter {
  organizationIds?: readonly string[] | undefined;
  userId?: string | undefined;
  status?: MembershipStatus | undefined;
  role?: string | undefined;
}

export interface MembershipRepository {
  find(userId: string, organizationId: string): Promise<MembershipRecord | undefined>;
  findById(id: string): Promise<MembershipRecord | undefined>;
  list(filter: MembershipFilter, page: PageRequest): Promise<MembershipRecord[]>;
  create(membership: NewMembership): Promise<MembershipRecord>;
  update(id: string, changes: MembershipChanges): Promise<MembershipRecord>;
  delete(id: string): Promise<void>;
  /** Takes a deleted role's name off every membership in these organizations. */
  removeRole(organizationIds: readonly string[], roleName: string): Promise<void>;
}

export type DomainVerificationMethod = 'dns' | 'operator';

export interface DomainRecord {
  id: string;
  organizationId: string;
  /** Lower-case ASCII; `*.` prefix for a wildcard claim. */
  domain: string;
  verificationToken: string;
  verifiedAt: Date | null;
  verificationMethod: DomainVerificationMethod | null;
  lastCheckedAt: Date | null;
  managedBy: string | null;
  createdAt: Date;
}
export type NewDomain = Omit<DomainRecord, 'createdAt'>;
export type DomainChanges = Partial<
  Pick<
    DomainRecord,
    'verifiedAt' | 'verificationMethod' | 'lastCheckedAt' | 'managedBy' | 'verificationToken'
  >
>;

export interface DomainRepository {
  listFor(organizationId: string): Promise<DomainRecord[]>;
  find(organizationId: string, domain: string): Promise<DomainRecord | undefined>;
  /** The verified claim on exactly this domain string, whichever organization holds it. */
  findVerified(domain: string): Promise<DomainRecord | undefined>;
  /** Verified claims on any of these domain strings (exact names and wildcard patterns). */
  findVerifiedAmong(domains: readonly string[]): Promise<DomainRecord[]>;
  create(domain: NewDomain): Promise<DomainRecord>;
  /** Throws ConflictError `domain_taken` when verifying would give a second organization the same domain. */
  update(id: string, changes: DomainChanges): Promise<DomainRecord>;
  delete(id: string): Promise<void>;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 (base64url) of the whole key. */
  secretHash: string;
  organizationId: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
export type NewApiKey = Omit<ApiKeyRecord, 'createdAt' | 'lastUsedAt' | 'revokedAt'>;

export interface ApiKeyRepository {
  findByHash(secretHash: string): Promise<ApiKeyRecord | undefined>;
  find(id: string): Promise<ApiKeyRecord | undefined>;
  list(
    filter: { organizationIds?: readonly string[] | undefined },
    page: PageRequest,
  ): Promise<ApiKeyRecord[]>;
  create(key: NewApiKey): Promise<ApiKeyRecord>;
  revoke(id: string, at: Date): Promise<void>;
  /** Best effort: records that the key was used (not inside the caller's transaction). */
  touch(id: string, at: Date): Promise<void>;
}

export interface GrantOrganizationRecord {
  grantId: string;
  organizationId: string;
  userId: string;
  clientId: string;
}

export interface GrantOrganizationRepository {
  bind(record: GrantOrganizationRecord): Promise<void>;
  find(grantId: string): Promise<GrantOrganizationRecord | undefined>;
  /** Grants a user holds for an organization (revocation on membership removal). */
  grantIdsFor(userId: string, organizationId: string): Promise<string[]>;
  deleteFor(userId: string, organizationId: string): Promise<void>;
}

export type ActorType = 'api_key' | 'cli' | 'config' | 'user' | 'system';
export interface Actor {
  type: ActorType;
  id: string;
}

export interface AuditEntry {
  organizationId: string | null;
  actor: Actor;
  /** `<target type>.<verb>`: organization.create, membership.update, domain.verify, ... */
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
}
export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
}

export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
  list(
    filter: { organizationIds?: readonly string[]; targetType?: string; targetId?: string; action?: string },
    page: PageRequest,
  ): Promise<AuditRecord[]>;
}

/** What the token path needs about one user in one organization, read in one round trip. */
export interface OrganizationAccessRow {
  /** The organization and its ancestors, nearest first. */
  chain: Array<Pick<OrganizationRecord, 'id' | 'slug' | 'status' | 'parentId'>>;
  membership: Pick<MembershipRecord, 'id' | 'status' | 'roles'> | null;
  /** Roles defined anywhere on the chain. */
  roles: Array<Pick<RoleRecord, 'organizationId' | 'name' | 'permissions' | 'admin' | 'overridable'>>;
}

export interface OrganizationAccessQuery {
  /**
   * Access of the user the grant was made for, in the grant's organization; undefined when unbound.
   * A binding whose organization was deleted answers with an empty chain.
   */
  forGrant(grantId: string): Promise<(OrganizationAccessRow & { userId: string }) | undefined>;
  /** By organization id (`org_...`) or slug; undefined when the organization does not exist. */
  forUser(organizationRef: string, userId: string): Promise<OrganizationAccessRow | undefined>;
  /**
   * Organizations the user may act for now, in one round trip: active memberships in active
   * organizations none of whose ancestors is suspended. Ordered by name.
   */
  choicesFor(userId: string): Promise<Array<Pick<OrganizationRecord, 'id' | 'slug' | 'name'>>>;
}
