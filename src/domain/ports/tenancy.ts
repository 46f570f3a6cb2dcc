/**
 * Durable records of the multi-tenant model: organizations (a tree), their roles, memberships,
 * domains, admin API keys, the organization each grant speaks for, and the admin write log.
 * data/ implements these on Prisma; the token path reads through `OrganizationAccessQuery`.
 */

export type OrganizationStatus = 'active' | 'suspended';
export type MembershipStatus = 'active' | 'pending' | 'suspended';

/** How an organization treats users whose email is in one of its verified domains. */
export interface Branding {
  display_name?: string;
  logo_url?: string;
  primary_color?: string;
  /** The page behind the sign-in card. */
  background_color?: string;
}

export interface RoleRuleSetting {
  /** An expression of the provisioning condition language (domain/provisioning/condition-parser). */
  condition: string;
  assign_role: string;
}

export interface ProvisioningPolicy {
  /** Create users and memberships on their first SSO sign-in (default true). */
  jit?: boolean;
  /** `org_admin`: a new membership stays pending until an administrator approves it. */
  approval?: 'none' | 'org_admin';
  role_rules?: RoleRuleSetting[];
}

export interface DomainPolicy {
  /** Users with that email domain must sign in through the organization's SSO. */
  sso_required?: boolean;
  /** Users with that email domain may join the organization (with its default role). */
  auto_join?: boolean;
  /** Whether local passwords are accepted for users with that email domain (default true). */
  allow_local_passwords?: boolean;
}

/**
 * The contract's entitlements as stored (snake_case, as the declarative file writes them); `{}`
 * when the organization has no plan. Read through domain/entitlements, never directly.
 */
export interface OrganizationPlan {
  tier?: string;
  features?: Record<string, boolean>;
  monthly_active_users?: number | null;
  connections?: number | null;
  /** `N/s`, `N/m` or `N/h`. */
  api_rate_limit?: string | null;
  /** ISO 8601 date or date-time. */
  trial_ends_at?: string | null;
  contract_ends_at?: string | null;
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
  /** The logo button on the login page; empty when the organization shows none. */
  branding: Branding;
  /** What an SSO sign-in may create and which roles it gives. */
  provisioning: ProvisioningPolicy;
  /** The connection for verified-domain emails no routing rule matched. */
  fallbackConnectionId: string | null;
  /** Contract entitlements (domain/entitlements); sub-organizations use their root's. */
  plan: OrganizationPlan;
  /** Kill switch: set while an operator has frozen the organization (organization-freeze.ts). */
  frozenAt: Date | null;
  frozenReason: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
type SsoSettings =
  'branding' | 'provisioning' | 'fallbackConnectionId' | 'plan' | 'frozenAt' | 'frozenReason';
export type NewOrganization = Omit<OrganizationRecord, 'createdAt' | 'updatedAt' | SsoSettings> &
  Partial<Pick<OrganizationRecord, SsoSettings>>;
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
  /** The roles SSO role rules gave at the last sign-in (a subset of roles): the next may take them back. */
  ruleRoles: string[];
  createdAt: Date;
  updatedAt: Date;
}
export type NewMembership = Omit<MembershipRecord, 'createdAt' | 'updatedAt' | 'ruleRoles'> &
  Partial<Pick<MembershipRecord, 'ruleRoles'>>;
export type MembershipChanges = Partial<Pick<MembershipRecord, 'status' | 'roles' | 'ruleRoles'>>;

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
  /** The organizations the user holds a membership in, whatever its status, in membership order. */
  organizationIdsOf(userId: string): Promise<string[]>;
  create(membership: NewMembership): Promise<MembershipRecord>;
  /** Inserts all of them in one statement (a bulk import). */
  createMany(memberships: readonly NewMembership[]): Promise<MembershipRecord[]>;
  /** The memberships of these users in one organization. */
  findForUsers(organizationId: string, userIds: readonly string[]): Promise<MembershipRecord[]>;
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

/** What an admin API key may do: everything its scope allows, or only read (GET). */
export type ApiKeyAccess = 'read_write' | 'read_only';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 (base64url) of the whole key. */
  secretHash: string;
  organizationId: string | null;
  access: ApiKeyAccess;
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
  /** The connection the user signed in through (the `idp` claim); absent for local sign-in. */
  connectionId: string | null;
  /** Partner access: the trust rule the grant was made through, and the user's home organization. */
  trustRuleId?: string | null;
  homeOrganizationId?: string | null;
}

export interface GrantOrganizationRepository {
  bind(
    record: Omit<GrantOrganizationRecord, 'connectionId'> & { connectionId?: string | null },
  ): Promise<void>;
  find(grantId: string): Promise<GrantOrganizationRecord | undefined>;
  /** Grants a user holds for an organization (revocation on membership removal). */
  grantIdsFor(userId: string, organizationId: string): Promise<string[]>;
  /** Every binding to any of these organizations (an organization frozen with its subtree). */
  bindingsFor(organizationIds: readonly string[]): Promise<GrantOrganizationRecord[]>;
  deleteFor(userId: string, organizationId: string): Promise<void>;
}

/**
 * `directory`: a SCIM client, by its directory's token; `client`: an application, by its client id;
 * `mcp_client`: an MCP client of the admin endpoint, by its OAuth client id.
 * `portal`: the customer portal opened through a setup link, by the link's id (`psl_...`).
 */
export type ActorType =
  'api_key' | 'cli' | 'config' | 'user' | 'system' | 'directory' | 'client' | 'mcp_client' | 'portal';
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
  /** Snapshots; secrets are removed before they are stored (domain/audit/redact.ts). */
  before: unknown;
  after: unknown;
}
export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
  /** The record's place in its chain (its organization's, or the platform's): 1, 2, 3... */
  seq: number;
}

/** A record with its chain fields, as `gatehouse audit verify` reads it. */
export interface ChainedAuditRecord extends AuditRecord {
  chainKey: string;
  prevHash: string | null;
  /** Null for records written before the chain existed (see AuditChainHead.preChainThroughSeq). */
  hash: string | null;
}

/** Where a chain ends and where retention cut its start; `mac` covers every other field. */
export interface AuditChainHead {
  chainKey: string;
  lastSeq: number;
  lastHash: string | null;
  prunedThroughSeq: number;
  prunedThroughHash: string | null;
  preChainThroughSeq: number;
  mac: string | null;
}

export interface AuditFilter {
  /** Only these organizations' records (a delegated admin's subtree); all when absent. */
  organizationIds?: readonly string[];
  actorType?: string;
  actorId?: string;
  /** Exact action. */
  action?: string;
  /** Actions starting with this (`login.` for login.succeeded, login.failed, ...). */
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  /** From this instant (inclusive) ... */
  from?: Date;
  /** ... to this one (exclusive). */
  to?: Date;
}

/** What one retention pass did to one chain. */
export interface AuditPruneResult {
  deleted: number;
  prunedThroughSeq: number;
}

export interface AuditRepository {
  /** In a transaction the record waits for flushQueued (before COMMIT); otherwise it is written at once. */
  append(entry: AuditEntry): Promise<void>;
  /**
   * A record nobody waits for (a token issue's, appended as the response goes out): outside a
   * transaction it goes with the next records written, or a few milliseconds later.
   */
  appendLater(entry: AuditEntry): Promise<void>;
  /** Several records, chained in this order (a bulk import). */
  appendMany(entries: readonly AuditEntry[]): Promise<void>;
  /** Resolves once every record appended outside a transaction so far is written (shutdown). */
  drain(): Promise<void>;
  /** Chains what was queued, locking each chain head in one order; the transaction runner calls it. */
  flushQueued(): Promise<void>;
  /** Ascending by id; `page.after` is the id of the last record already read. */
  list(filter: AuditFilter, page: PageRequest): Promise<AuditRecord[]>;
  chainHeads(): Promise<AuditChainHead[]>;
  /** Chain keys that records name, heads or not (a record without a head is a finding). */
  recordChainKeys(): Promise<string[]>;
  /** One chain's records with a sequence above `afterSeq`, ascending, at most `limit`. */
  readChain(chainKey: string, afterSeq: number, limit: number): Promise<ChainedAuditRecord[]>;
  /** Chains whose oldest remaining record is older than `cutoff`. */
  chainsOlderThan(cutoff: Date): Promise<string[]>;
  /**
   * Deletes up to `limit` of the chain's oldest records older than `cutoff` (stopping at the
   * first newer one) and moves the head's pruned mark past them, under the head's lock.
   */
  pruneChain(chainKey: string, cutoff: Date, limit: number): Promise<AuditPruneResult>;
}

/** What the token path needs about one user in one organization, read in one round trip. */
export interface OrganizationAccessRow {
  /** The organization and its ancestors, nearest first; `frozen` and `plan` for entitlements. */
  chain: Array<
    Pick<OrganizationRecord, 'id' | 'slug' | 'status' | 'parentId'> &
      Partial<Pick<OrganizationRecord, 'plan'>> & { frozen?: boolean }
  >;
  membership: Pick<MembershipRecord, 'id' | 'status' | 'roles'> | null;
  /** Roles defined anywhere on the chain. */
  roles: Array<Pick<RoleRecord, 'organizationId' | 'name' | 'permissions' | 'admin' | 'overridable'>>;
}

/** A grant's access: the user it was made for, in the grant's organization. */
export type GrantAccessRow = OrganizationAccessRow & {
  userId: string;
  connectionId: string | null;
  /** Set for a grant made through a trust rule (partner access). */
  trustRuleId?: string | null;
};

export interface OrganizationAccessQuery {
  /**
   * Access of the user the grant was made for, in the grant's organization; undefined when unbound.
   * A binding whose organization was deleted answers with an empty chain.
   */
  forGrant(grantId: string): Promise<GrantAccessRow | undefined>;
  /** By organization id (`org_...`) or slug; undefined when the organization does not exist. */
  forUser(organizationRef: string, userId: string): Promise<OrganizationAccessRow | undefined>;
  /**
   * forUser for a check ahead of the token endpoint (the organization a token exchange names): a
   * forUser with the same arguments later in the same request takes this answer, once.
   */
  forUserAhead(organizationRef: string, userId: string): Promise<OrganizationAccessRow | undefined>;
  /**
   * Organizations the user may act for now, in one round trip: active memberships in active
   * organizations none of whose ancestors is suspended. Ordered by name.
   */
  choicesFor(userId: string): Promise<Array<Pick<OrganizationRecord, 'id' | 'slug' | 'name'>>>;
}
