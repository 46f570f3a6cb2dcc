import type { GrantOrganizationRecord, GrantOrganizationRepository } from '../../domain/ports/tenancy.js';
import { ConflictError } from '../../domain/errors.js';
import type { GrantOrganizationRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: GrantOrganizationRow): GrantOrganizationRecord {
  return {
    grantId: row.grantId,
    organizationId: row.organizationId,
    userId: row.userId,
    clientId: row.clientId,
    connectionId: row.connectionId,
    // Only a partner's grant (domain/federations) has these.
    ...(row.trustRuleId ? { trustRuleId: row.trustRuleId, homeOrganizationId: row.homeOrganizationId } : {}),
  };
}

const sameBinding = (a: GrantOrganizationRecord, b: GrantOrganizationRecord) =>
  a.organizationId === b.organizationId &&
  a.userId === b.userId &&
  a.clientId === b.clientId &&
  a.connectionId === b.connectionId &&
  (a.trustRuleId ?? null) === (b.trustRuleId ?? null);

export function createGrantOrganizationRepository(db: PrismaExecutor): GrantOrganizationRepository {
  return {
    async bind(record) {
      // Written once per grant. INSERT .. ON CONFLICT DO NOTHING: binding the same row again (or
      // concurrently) is a no-op, and an existing binding never changes (a grant can never move
      // to another organization); binding it differently is refused.
      const { count } = await db.grantOrganization.createMany({
        data: [
          {
            grantId: record.grantId,
            organizationId: record.organizationId,
            userId: record.userId,
            clientId: record.clientId,
            connectionId: record.connectionId ?? null,
            trustRuleId: record.trustRuleId ?? null,
            homeOrganizationId: record.homeOrganizationId ?? null,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 1) return;
      const existing = await db.grantOrganization.findUnique({ where: { grantId: record.grantId } });
      if (
        existing &&
        !sameBinding(toRecord(existing), { ...record, connectionId: record.connectionId ?? null })
      ) {
        throw new ConflictError(
          `grant ${record.grantId} is already bound to another organization`,
          'grant_bound',
        );
      }
    },
    async find(grantId) {
      const row = await db.grantOrganization.findUnique({ where: { grantId } });
      return row ? toRecord(row) : undefined;
    },
    async grantIdsFor(userId, organizationId) {
      const rows = await db.grantOrganization.findMany({
        where: { userId, organizationId },
        select: { grantId: true },
        orderBy: { grantId: 'asc' },
      });
      return rows.map((row) => row.grantId);
    },
    async bindingsFor(organizationIds) {
      const rows = await db.grantOrganization.findMany({
        where: { organizationId: { in: [...organizationIds] } },
        orderBy: { grantId: 'asc' },
      });
      return rows.map(toRecord);
    },
    async deleteFor(userId, organizationId) {
      await db.grantOrganization.deleteMany({ where: { userId, organizationId } });
    },
  };
}
