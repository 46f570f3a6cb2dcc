import type { Envelope } from '../../lib/crypto/envelope.js';
import type { PasswordHasher } from '../../lib/crypto/password.js';
import type { ValidClientDefinition } from '../clients/client-definition.js';
import type { ConnectionCreate } from '../organizations/connection-input.js';
import type { SpCredentialGenerator } from '../organizations/connections-admin.js';
import type { SecurityPolicies } from '../organizations/security-policies.js';
import type { Repositories } from '../ports/repositories.js';
import type {
  Actor,
  Branding,
  DomainPolicy,
  OrganizationPlan,
  ProvisioningPolicy,
} from '../ports/tenancy.js';

/** Rows owned by the declarative file carry this marker; only they are ever deleted by apply. */
export const CONFIG_OWNER = 'config';

/** A local account as the file declares it; the email is already normalized. */
export interface DesiredUser {
  email: string;
  password?: string | undefined;
  /** argon2id PHC string, stored as is. */
  password_hash?: string | undefined;
  name?: string | undefined;
}

export interface DesiredRole {
  name: string;
  description: string | null;
  permissions: string[];
  admin: boolean;
  overridable: boolean;
}

export interface DesiredDomain {
  /** Normalized pattern (lower-case ASCII, `*.` for wildcards). */
  domain: string;
  /** The operator attests control; false leaves the proof to DNS (`gatehouse domains verify`). */
  verified: boolean;
}

/** A custom login domain as the file declares it (domain/config/custom-domain-plan.ts). */
export interface DesiredCustomDomain {
  /** Normalized host (lower-case ASCII, no port). */
  host: string;
  /** The operator attests control; false leaves the proof to DNS (`gatehouse orgs custom-domains verify`). */
  verified: boolean;
}

/** A routing rule as the file declares it: a normalized pattern and a connection by key. */
export interface DesiredRoutingRule {
  domain: string;
  connection: string;
  priority: number;
}

/** A SCIM directory as the file declares it (`key` is the file's `id`). */
export interface DesiredDirectory {
  key: string;
  /** Group displayName -> role name. */
  groupRoleMap: Record<string, string>;
  /**
   * The bearer token, normally a `${ENV_VAR}` reference; only its digest is stored. Absent: an
   * existing directory keeps its token and a new one gets a random token nobody knows yet.
   */
  token: string | undefined;
}

/**
 * An organization as the file declares it, with its sub-organizations. The file's list of roles
 * is the organization's whole list; its domains are the claims the file owns.
 */
export interface DesiredOrganization {
  slug: string;
  name: string;
  domains: DesiredDomain[];
  domainPolicy: DomainPolicy;
  roles: DesiredRole[];
  defaultRole: string | null;
  securityPolicies: SecurityPolicies;
  metadata: Record<string, unknown>;
  /** The organization's whole list of connections (`key` is the file's `id`). */
  connections: ConnectionCreate[];
  /** The organization's whole routing: rules in declaration order and the fallback, by key. */
  routing: { rules: DesiredRoutingRule[]; fallbackConnection: string | null };
  /** Its SCIM directories; only config-owned ones it no longer lists are deleted. */
  directories: DesiredDirectory[];
  provisioning: ProvisioningPolicy;
  branding: Branding;
  /** The organization's whole list of custom login domains; undefined: the file leaves them alone. */
  customDomains?: DesiredCustomDomain[] | undefined;
  /** Contract entitlements (top-level organizations only); `{}`: no plan. */
  plan: OrganizationPlan;
  children: DesiredOrganization[];
}

/** A trust rule as the file declares it: organizations by slug. */
export interface DesiredTrustRule {
  source: string;
  target: string;
  permissions: string[];
  requiresMfa: boolean;
  ipRestrictions: string[];
  validFrom: Date | null;
  validUntil: Date | null;
}

/** A partner federation as the file declares it: its whole member list and rule list. */
export interface DesiredFederation {
  slug: string;
  name: string | null;
  /** Organization slugs. */
  members: string[];
  rules: DesiredTrustRule[];
}

/** What the file says should exist (the validated file, whatever its source). */
export interface DesiredState {
  clients: ValidClientDefinition[];
  users: DesiredUser[];
  /** Top-level organizations; each carries its sub-organizations. */
  organizations: DesiredOrganization[];
  /** Partner federations; absent: the file leaves federations alone. */
  federations?: DesiredFederation[] | undefined;
}

export type PlanKind =
  | 'client'
  | 'user'
  | 'organization'
  | 'role'
  | 'domain'
  | 'custom_domain'
  | 'connection'
  | 'routing'
  | 'directory'
  | 'federation'
  | 'trust_rule';
export const PLAN_KINDS: readonly PlanKind[] = [
  'organization',
  'role',
  'domain',
  'custom_domain',
  'connection',
  'routing',
  'directory',
  'client',
  'user',
  'federation',
  'trust_rule',
];
export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One line of a plan. Carries field names only, never values: plans are printed and logged. */
export interface PlanEntry {
  kind: PlanKind;
  /**
   * client_id, email, organization slug (organization, routing), `<slug>/<role>`, `<slug>/<domain>`,
   * `<slug>/<connection>` or `<slug>/<directory>`.
   */
  id: string;
  action: PlanAction;
  /** Fields that change (`client_secret`, `password`, `managed_by` for a take-over, ...). */
  changes: string[];
  /** What the operator still has to do once the change is applied (a command to run); no secret. */
  notes?: string[];
}

/** A plan entry with the write that carries it out (absent when unchanged). */
export interface PlannedChange extends PlanEntry {
  /** Slow work that needs no database (password hashing), run concurrently before the writes. */
  prepare?: () => Promise<unknown>;
  write?: (repos: Repositories) => Promise<void>;
  /**
   * An earlier write of the entry with the same kind and id, placed where the order of writes
   * needs it (routing cleared before the connections it names are replaced): not listed itself.
   */
  unlisted?: true;
}

export interface ConfigDeps {
  envelope: Envelope;
  hasher: PasswordHasher;
  /** Names the file in audit records (the actor of every write); `gatehouse.yaml` when absent. */
  source?: string | undefined;
  now?: (() => Date) | undefined;
  /** Makes the SP key pair of each SAML connection the file creates; required once it declares one. */
  spCredential?: SpCredentialGenerator | undefined;
}

/** Who the audit log names for the file's writes. */
export const configActor = (deps: Pick<ConfigDeps, 'source'>): Actor => ({
  type: 'config',
  id: deps.source ?? 'gatehouse.yaml',
});
