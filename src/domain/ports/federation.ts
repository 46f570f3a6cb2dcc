/**
 * What enterprise SSO persists: each organization's ordered routing rules, and the upstream
 * identities linked to users. data/ implements both on Prisma.
 */

export interface RoutingRuleRecord {
  id: string;
  organizationId: string;
  /** Normalized exact or wildcard pattern. */
  domain: string;
  connectionId: string;
  /** Lower number = higher priority. */
  priority: number;
  /** Declaration order, from 0. */
  position: number;
}
export type NewRoutingRule = Omit<RoutingRuleRecord, 'id' | 'organizationId' | 'position'>;

export interface RoutingRuleRepository {
  /** The organization's rules in declaration order. */
  listFor(organizationId: string): Promise<RoutingRuleRecord[]>;
  /** Rules of several organizations at once (routing loads every candidate in one read). */
  listForMany(organizationIds: readonly string[]): Promise<RoutingRuleRecord[]>;
  /** Replaces the organization's whole rule list, in the order given. */
  replace(organizationId: string, rules: readonly NewRoutingRule[]): Promise<RoutingRuleRecord[]>;
}

export interface IdentityRecord {
  id: string;
  userId: string;
  connectionId: string;
  /** The upstream subject: OIDC `sub` or the SAML NameID, exactly as asserted. */
  subject: string;
  /** The mapped attributes of the last sign-in. */
  attributes: Record<string, unknown>;
  createdAt: Date;
  lastLoginAt: Date;
}
/** `lastLoginAt` defaults to the database's clock; the sign-in passes its own. */
export type NewIdentity = Omit<IdentityRecord, 'createdAt' | 'lastLoginAt'> &
  Partial<Pick<IdentityRecord, 'lastLoginAt'>>;

export interface IdentityRepository {
  find(connectionId: string, subject: string): Promise<IdentityRecord | undefined>;
  listForUser(userId: string): Promise<IdentityRecord[]>;
  /** Throws ConflictError `identity_exists` when the connection already links that subject. */
  create(identity: NewIdentity): Promise<IdentityRecord>;
  /** Unlinks; deleting what is already gone is not an error. */
  delete(id: string): Promise<void>;
  /** Records a sign-in at `at`: the attributes it brought replace the previous ones. */
  touch(id: string, attributes: Record<string, unknown>, at: Date): Promise<IdentityRecord>;
}
