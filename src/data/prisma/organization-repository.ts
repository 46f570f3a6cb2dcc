import type {
  Branding,
  DomainPolicy,
  NewOrganization,
  OrganizationChanges,
  OrganizationPlan,
  OrganizationRecord,
  OrganizationRepository,
  OrganizationStatus,
  ProvisioningPolicy,
} from '../../domain/ports/tenancy.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import type { ConstraintRule } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { idAfter, pageArgs } from './page.js';
import type { OrganizationRow, Prisma, PrismaExecutor } from './prisma-client.js';

const STATUSES: readonly OrganizationStatus[] = ['active', 'suspended'];

/** Stops a recursive walk should the tree ever contain a cycle (the domain refuses to make one). */
const MAX_TREE_DEPTH = 64;

function toStatus(value: string): OrganizationStatus {
  if (!(STATUSES as readonly string[]).includes(value)) {
    throw new Error(`organization has unknown status "${value}"`);
  }
  return value as OrganizationStatus;
}

function toRecord(row: OrganizationRow): OrganizationRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    parentId: row.parentId,
    status: toStatus(row.status),
    metadata: fromJsonColumn(row.metadata),
    domainPolicy: fromJsonColumn(row.domainPolicy) as DomainPolicy,
    securityPolicies: fromJsonColumn(row.securityPolicies),
    defaultRole: row.defaultRole,
    branding: fromJsonColumn(row.branding) as Branding,
    provisioning: fromJsonColumn(row.provisioning) as ProvisioningPolicy,
    fallbackConnectionId: row.fallbackConnectionId,
    plan: fromJsonColumn(row.plan) as OrganizationPlan,
    frozenAt: row.frozenAt,
    frozenReason: row.frozenReason,
    managedBy: row.managedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** `SELECT organizations.*` through $queryRaw: column names as in the table. */
export interface RawOrganizationRow {
  id: string;
  slug: string;
  name: string;
  parent_id: string | null;
  status: string;
  metadata: Prisma.JsonValue;
  domain_policy: Prisma.JsonValue;
  security_policies: Prisma.JsonValue;
  default_role: string | null;
  branding: Prisma.JsonValue;
  provisioning: Prisma.JsonValue;
  fallback_connection_id: string | null;
  plan: Prisma.JsonValue;
  frozen_at: Date | null;
  frozen_reason: string | null;
  managed_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The organization whose `anchor` column is $1, then its ancestors up to the root, nearest first. */
export const chainFrom = (anchor: 'id' | 'slug') => `
  WITH RECURSIVE "chain" ("id", "parent_id", "depth") AS (
    SELECT "id", "parent_id", 0 FROM "organizations" WHERE "${anchor}" = $1
    UNION ALL
    SELECT o."id", o."parent_id", c."depth" + 1
      FROM "organizations" o JOIN "chain" c ON o."id" = c."parent_id"
     WHERE c."depth" < ${MAX_TREE_DEPTH}
  )
  SELECT o.* FROM "chain" c JOIN "organizations" o ON o."id" = c."id" ORDER BY c."depth"`;

/** An organization and its ancestors, nearest first ($1: the organization's id). */
export const ORGANIZATION_CHAIN = chainFrom('id');

export function fromRaw(row: RawOrganizationRow): OrganizationRecord {
  return toRecord({
    id: row.id,
    slug: row.slug,
    name: row.name,
    parentId: row.parent_id,
    status: row.status,
    metadata: row.metadata,
    domainPolicy: row.domain_policy,
    securityPolicies: row.security_policies,
    defaultRole: row.default_role,
    branding: row.branding,
    provisioning: row.provisioning,
    fallbackConnectionId: row.fallback_connection_id,
    plan: row.plan,
    frozenAt: row.frozen_at,
    frozenReason: row.frozen_reason,
    managedBy: row.managed_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

function toData(changes: OrganizationChanges) {
  return {
    slug: changes.slug,
    name: changes.name,
    parentId: changes.parentId,
    status: changes.status,
    metadata: changes.metadata === undefined ? undefined : toJsonColumn(changes.metadata),
    domainPolicy: changes.domainPolicy === undefined ? undefined : toJsonColumn({ ...changes.domainPolicy }),
    securityPolicies:
      changes.securityPolicies === undefined ? undefined : toJsonColumn(changes.securityPolicies),
    defaultRole: changes.defaultRole,
    branding: changes.branding === undefined ? undefined : toJsonColumn({ ...changes.branding }),
    provisioning: changes.provisioning === undefined ? undefined : toJsonColumn({ ...changes.provisioning }),
    fallbackConnectionId: changes.fallbackConnectionId,
    plan: changes.plan === undefined ? undefined : toJsonColumn({ ...changes.plan }),
    frozenAt: changes.frozenAt,
    frozenReason: changes.frozenReason,
    managedBy: changes.managedBy,
  };
}

const slugTaken = (slug: string | undefined): ConstraintRule => ({
  kind: 'unique',
  constraint: 'organizations_slug_key',
  error: conflict(`organization slug "${slug ?? ''}" is already taken`, 'slug_taken'),
});

export function createOrganizationRepository(db: PrismaExecutor): OrganizationRepository {
  return {
    async find(id) {
      const row = await db.organization.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async findBySlug(slug) {
      const row = await db.organization.findUnique({ where: { slug } });
      return row ? toRecord(row) : undefined;
    },
    async list(filter, page) {
      const rows = await db.organization.findMany({
        where: {
          parentId: filter.parentId,
          status: filter.status,
          slug: filter.slug,
          managedBy: filter.managedBy,
          id: idAfter(page, filter.ids),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async chain(id) {
      const rows = await db.$queryRawUnsafe<RawOrganizationRow[]>(ORGANIZATION_CHAIN, id);
      return rows.map(fromRaw);
    },
    async subtreeIds(id) {
      const rows = await db.$queryRaw<Array<{ id: string }>>`
        WITH RECURSIVE "subtree" ("id", "depth") AS (
          SELECT "id", 0 FROM "organizations" WHERE "id" = ${id}
          UNION ALL
          SELECT o."id", s."depth" + 1
            FROM "organizations" o JOIN "subtree" s ON o."parent_id" = s."id"
           WHERE s."depth" < ${MAX_TREE_DEPTH}
        )
        SELECT "id" FROM "subtree" ORDER BY "depth", "id"`;
      return rows.map((row) => row.id);
    },
    async create(organization: NewOrganization) {
      const row = await translateConstraints(
        db.organization.create({
          data: {
            id: organization.id,
            slug: organization.slug,
            name: organization.name,
            parentId: organization.parentId,
            status: organization.status,
            metadata: toJsonColumn(organization.metadata),
            domainPolicy: toJsonColumn({ ...organization.domainPolicy }),
            securityPolicies: toJsonColumn(organization.securityPolicies),
            defaultRole: organization.defaultRole,
            branding: toJsonColumn({ ...organization.branding }),
            provisioning: toJsonColumn({ ...organization.provisioning }),
            fallbackConnectionId: organization.fallbackConnectionId,
            plan: toJsonColumn({ ...organization.plan }),
            frozenAt: organization.frozenAt,
            frozenReason: organization.frozenReason,
            managedBy: organization.managedBy,
          },
        }),
        [slugTaken(organization.slug)],
      );
      return toRecord(row);
    },
    async update(id, changes) {
      const row = await translateConstraints(
        requireFound(db.organization.update({ where: { id }, data: toData(changes) }), `organization ${id}`),
        [slugTaken(changes.slug)],
      );
      return toRecord(row);
    },
    async delete(id) {
      // Roles, memberships, domains and API keys go with it; sub-organizations and clients hold it.
      await translateConstraints(db.organization.deleteMany({ where: { id } }), [
        {
          kind: 'referenced',
          error: conflict('organization still has sub-organizations or clients', 'organization_not_empty'),
        },
      ]);
    },
  };
}
