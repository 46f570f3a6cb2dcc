/**
 * Partner federation as stored: a federation groups organizations, and its trust rules let the
 * members of a source organization act for a target organization with named permissions only.
 * data/ implements these on Prisma (federation-repository.ts).
 */
import type { PageRequest } from './tenancy.js';

export interface FederationRecord {
  id: string;
  /** The declarative file's key (`broker_trust`). */
  slug: string;
  name: string | null;
  /** Kill switch: while set, no rule of the federation is in force. */
  frozenAt: Date | null;
  frozenReason: string | null;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewFederation = Omit<FederationRecord, 'createdAt' | 'updatedAt'>;
export type FederationChanges = Partial<
  Pick<FederationRecord, 'slug' | 'name' | 'frozenAt' | 'frozenReason' | 'managedBy'>
>;

export interface FederationMemberRecord {
  federationId: string;
  organizationId: string;
  createdAt: Date;
}

export interface TrustRuleRecord {
  id: string;
  federationId: string;
  sourceOrganizationId: string;
  targetOrganizationId: string;
  /** Exactly what a partner may do in the target; never the target's own roles. */
  permissions: string[];
  requiresMfa: boolean;
  /** CIDR networks (IPv4, IPv6) partner sign-ins and token issues must come from; empty: any. */
  ipRestrictions: string[];
  validFrom: Date | null;
  validUntil: Date | null;
  createdAt: Date;
}
export type NewTrustRule = Omit<TrustRuleRecord, 'createdAt'>;
export type TrustRuleChanges = Partial<
  Pick<TrustRuleRecord, 'permissions' | 'requiresMfa' | 'ipRestrictions' | 'validFrom' | 'validUntil'>
>;

/** A rule with what deciding partner access reads about its federation and source organization. */
export interface PartnerRuleRow {
  rule: TrustRuleRecord;
  federation: Pick<FederationRecord, 'id' | 'slug' | 'frozenAt'>;
  source: { id: string; slug: string; frozen: boolean };
}

/** A grant made through a trust rule (what freezing a federation revokes). */
export interface PartnerGrantBinding {
  grantId: string;
  userId: string;
  /** The target organization the grant speaks for. */
  organizationId: string;
  clientId: string;
}

export interface FederationRepository {
  list(page: PageRequest): Promise<FederationRecord[]>;
  find(id: string): Promise<FederationRecord | undefined>;
  findBySlug(slug: string): Promise<FederationRecord | undefined>;
  /** Throws ConflictError `federation_exists` when the slug is taken. */
  create(federation: NewFederation): Promise<FederationRecord>;
  update(id: string, changes: FederationChanges): Promise<FederationRecord>;
  /** Members and rules go with it (cascade). */
  delete(id: string): Promise<void>;

  members(federationId: string): Promise<FederationMemberRecord[]>;
  /** Idempotent. */
  addMember(federationId: string, organizationId: string): Promise<FederationMemberRecord>;
  removeMember(federationId: string, organizationId: string): Promise<void>;

  rules(federationId: string): Promise<TrustRuleRecord[]>;
  findRule(id: string): Promise<TrustRuleRecord | undefined>;
  /** Throws ConflictError `rule_exists` for a second rule with the same source and target. */
  createRule(rule: NewTrustRule): Promise<TrustRuleRecord>;
  updateRule(id: string, changes: TrustRuleChanges): Promise<TrustRuleRecord>;
  deleteRule(id: string): Promise<void>;

  /** Rules for `targetOrganizationId` whose source is one of `sourceOrganizationIds`, ordered by id. */
  partnerRules(
    targetOrganizationId: string,
    sourceOrganizationIds: readonly string[],
  ): Promise<PartnerRuleRow[]>;
  /** One rule as partnerRules shows it; undefined once the rule is deleted. */
  partnerRule(ruleId: string): Promise<PartnerRuleRow | undefined>;
  /** Grants made through any of these rules. */
  grantsForRules(ruleIds: readonly string[]): Promise<PartnerGrantBinding[]>;
}
