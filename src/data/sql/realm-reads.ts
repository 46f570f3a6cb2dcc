import type { ConnectionRecord } from '../../domain/ports/connections.js';
import type { RoutingRuleRecord } from '../../domain/ports/federation.js';
import type { DomainRecord, RoleRecord } from '../../domain/ports/tenancy.js';
import { fromRaw as fromRawDomain } from '../prisma/domain-repository.js';
import { fromRawConnection } from './connection-by-id.js';
import { allRows, type Query } from './query.js';

interface RawRoutingRuleRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  domain: string;
  connection_id: string;
  priority: number;
  position: number;
}

interface RawRoleRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  permissions: string[];
  admin: boolean;
  overridable: boolean;
  created_at: Date;
  updated_at: Date;
}

const fromRawRoutingRule = (row: RawRoutingRuleRow): RoutingRuleRecord => ({
  id: row.id,
  organizationId: row.organization_id,
  domain: row.domain,
  connectionId: row.connection_id,
  priority: row.priority,
  position: row.position,
});

const fromRawRole = (row: RawRoleRow): RoleRecord => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  permissions: row.permissions,
  admin: row.admin,
  overridable: row.overridable,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * What realm discovery reads of an organization's chain at every sign-in (its domains,
 * connections and routing rules) and what an enterprise sign-in reads of its roles, as prepared
 * statements outside Prisma (same reason as user-by-id.ts), in the repositories' order.
 */
export function realmQueries(query: Query) {
  return {
    async domainsOf(organizationId: string): Promise<DomainRecord[]> {
      return allRows(
        query,
        'gh_domains_of',
        `SELECT * FROM "domains" WHERE "organization_id" = $1 ORDER BY "domain"`,
        [organizationId],
        fromRawDomain,
      );
    },
    async connectionsOf(organizationId: string): Promise<ConnectionRecord[]> {
      return allRows(
        query,
        'gh_connections_of',
        `SELECT * FROM "connections" WHERE "organization_id" = $1 ORDER BY "key"`,
        [organizationId],
        fromRawConnection,
      );
    },
    async routingRulesOf(organizationIds: readonly string[]): Promise<RoutingRuleRecord[]> {
      if (organizationIds.length === 0) return [];
      return allRows(
        query,
        'gh_routing_rules_of',
        `SELECT * FROM "routing_rules" WHERE "organization_id" = ANY($1::text[]) ORDER BY "organization_id", "position"`,
        [[...organizationIds]],
        fromRawRoutingRule,
      );
    },
    async rolesOf(organizationIds: readonly string[]): Promise<RoleRecord[]> {
      if (organizationIds.length === 0) return [];
      return allRows(
        query,
        'gh_roles_of',
        `SELECT * FROM "roles" WHERE "organization_id" = ANY($1::text[]) ORDER BY "organization_id", "name"`,
        [[...organizationIds]],
        fromRawRole,
      );
    },
  };
}
