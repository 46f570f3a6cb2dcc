import type {
  FederationRecord,
  FederationRepository,
  PartnerRuleRow,
  TrustRuleRecord,
} from '../../domain/ports/federations.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import { idAfter, pageArgs } from './page.js';
import type { FederationRow, PrismaExecutor, TrustRuleRow } from './prisma-client.js';

const toFederation = (row: FederationRow): FederationRecord => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  frozenAt: row.frozenAt,
  frozenReason: row.frozenReason,
  managedBy: row.managedBy,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const toRule = (row: TrustRuleRow): TrustRuleRecord => ({
  id: row.id,
  federationId: row.federationId,
  sourceOrganizationId: row.sourceOrganizationId,
  targetOrganizationId: row.targetOrganizationId,
  permissions: [...row.permissions],
  requiresMfa: row.requiresMfa,
  ipRestrictions: [...row.ipRestrictions],
  validFrom: row.validFrom,
  validUntil: row.validUntil,
  createdAt: row.createdAt,
});

/** What partner decisions read beside the rule: its federation's switch, its source's freeze. */
const PARTNER_INCLUDE = {
  federation: { select: { id: true, slug: true, frozenAt: true } },
  source: { select: { id: true, slug: true, frozenAt: true } },
} as const;

type PartnerRow = TrustRuleRow & {
  federation: { id: string; slug: string; frozenAt: Date | null };
  source: { id: string; slug: string; frozenAt: Date | null };
};

const toPartnerRow = (row: PartnerRow): PartnerRuleRow => ({
  rule: toRule(row),
  federation: row.federation,
  source: { id: row.source.id, slug: row.source.slug, frozen: row.source.frozenAt !== null },
});

const slugTaken = (slug: string) => ({
  kind: 'unique' as const,
  constraint: 'federations_slug_key',
  error: conflict(`federation slug "${slug}" is already taken`, 'federation_exists'),
});
const ruleExists = {
  kind: 'unique' as const,
  error: conflict('the federation already has a rule for that source and target', 'rule_exists'),
};

export function createFederationRepository(db: PrismaExecutor): FederationRepository {
  return {
    async list(page) {
      const rows = await db.federation.findMany({ where: { id: idAfter(page) }, ...pageArgs(page) });
      return rows.map(toFederation);
    },
    async find(id) {
      const row = await db.federation.findUnique({ where: { id } });
      return row ? toFederation(row) : undefined;
    },
    async findBySlug(slug) {
      const row = await db.federation.findUnique({ where: { slug } });
      return row ? toFederation(row) : undefined;
    },
    async create(federation) {
      const row = await translateConstraints(db.federation.create({ data: { ...federation } }), [
        slugTaken(federation.slug),
      ]);
      return toFederation(row);
    },
    async update(id, changes) {
      const row = await translateConstraints(
        requireFound(db.federation.update({ where: { id }, data: { ...changes } }), `federation ${id}`),
        [slugTaken(changes.slug ?? '')],
      );
      return toFederation(row);
    },
    async delete(id) {
      await db.federation.deleteMany({ where: { id } });
    },

    async members(federationId) {
      return db.federationMember.findMany({
        where: { federationId },
        orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
      });
    },
    async addMember(federationId, organizationId) {
      return db.federationMember.upsert({
        where: { federationId_organizationId: { federationId, organizationId } },
        create: { federationId, organizationId },
        update: {},
      });
    },
    async removeMember(federationId, organizationId) {
      await db.federationMember.deleteMany({ where: { federationId, organizationId } });
    },

    async rules(federationId) {
      const rows = await db.trustRule.findMany({ where: { federationId }, orderBy: { id: 'asc' } });
      return rows.map(toRule);
    },
    async findRule(id) {
      const row = await db.trustRule.findUnique({ where: { id } });
      return row ? toRule(row) : undefined;
    },
    async createRule(rule) {
      const row = await translateConstraints(db.trustRule.create({ data: { ...rule } }), [ruleExists]);
      return toRule(row);
    },
    async updateRule(id, changes) {
      const row = await requireFound(
        db.trustRule.update({ where: { id }, data: { ...changes } }),
        `trust rule ${id}`,
      );
      return toRule(row);
    },
    async deleteRule(id) {
      await db.trustRule.deleteMany({ where: { id } });
    },

    async partnerRules(targetOrganizationId, sourceOrganizationIds) {
      if (sourceOrganizationIds.length === 0) return [];
      const rows = await db.trustRule.findMany({
        where: { targetOrganizationId, sourceOrganizationId: { in: [...sourceOrganizationIds] } },
        include: PARTNER_INCLUDE,
        orderBy: { id: 'asc' },
      });
      return rows.map(toPartnerRow);
    },
    async partnerRule(ruleId) {
      const row = await db.trustRule.findUnique({ where: { id: ruleId }, include: PARTNER_INCLUDE });
      return row ? toPartnerRow(row) : undefined;
    },
    async grantsForRules(ruleIds) {
      if (ruleIds.length === 0) return [];
      return db.grantOrganization.findMany({
        where: { trustRuleId: { in: [...ruleIds] } },
        select: { grantId: true, userId: true, organizationId: true, clientId: true },
        orderBy: { grantId: 'asc' },
      });
    },
  };
}
