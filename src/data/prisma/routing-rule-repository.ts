import type { RoutingRuleRecord, RoutingRuleRepository } from '../../domain/ports/federation.js';
import { newId } from '../../lib/ids.js';
import type { PrismaExecutor, RoutingRuleRow } from './prisma-client.js';

function toRecord(row: RoutingRuleRow): RoutingRuleRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    domain: row.domain,
    connectionId: row.connectionId,
    priority: row.priority,
    position: row.position,
  };
}

const ORDER = [{ organizationId: 'asc' as const }, { position: 'asc' as const }];

export function createRoutingRuleRepository(db: PrismaExecutor): RoutingRuleRepository {
  // A plain function, not `this.listFor`: Database objects are built by spreading repositories
  // and callers may pass methods around, so `this` is not reliably the repository.
  const listFor = async (organizationId: string) => {
    const rows = await db.routingRule.findMany({ where: { organizationId }, orderBy: ORDER });
    return rows.map(toRecord);
  };
  return {
    listFor,
    async listForMany(organizationIds) {
      if (organizationIds.length === 0) return [];
      const rows = await db.routingRule.findMany({
        where: { organizationId: { in: [...organizationIds] } },
        orderBy: ORDER,
      });
      return rows.map(toRecord);
    },
    async replace(organizationId, rules) {
      // The list is one setting: callers run this inside a transaction so readers see the old
      // list or the new one, never a mix.
      await db.routingRule.deleteMany({ where: { organizationId } });
      await db.routingRule.createMany({
        data: rules.map((rule, position) => ({
          id: newId('rr'),
          organizationId,
          domain: rule.domain,
          connectionId: rule.connectionId,
          priority: rule.priority,
          position,
        })),
      });
      return listFor(organizationId);
    },
  };
}
