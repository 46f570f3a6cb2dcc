import { isDeepStrictEqual } from 'node:util';
import { ConflictError } from '../errors.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { Repositories } from '../ports/repositories.js';
import type { NewOrganization, OrganizationRecord } from '../ports/tenancy.js';
import { CONFIG_OWNER, type DesiredOrganization, type PlannedChange } from './desired-state.js';
import { planConnections } from './connection-plan.js';
import { planDirectories } from './directory-plan.js';
import { planDomainClaims } from './domain-claim-plan.js';
import { planCustomDomains } from './custom-domain-plan.js';
import {
  placeOrganizations,
  type OrganizationPlanContext,
  type OrganizationSlot,
} from './organization-slots.js';
import { planRoles } from './role-plan.js';
import { planRouting } from './routing-plan.js';
import { recordChange } from '../organizations/tenancy-scope.js';

/**
 * Compares the file's organization tree with the stored one. The order of the result is the order
 * of the writes: released domain claims first, then each organization (parents before children)
 * with its roles, claims, connections, routing and directories, then roles the file dropped, then organizations
 * that left the file (children before parents). A slug that exists under another owner is taken over.
 */
export async function planOrganizations(
  repos: Repositories,
  desired: readonly DesiredOrganization[],
  envelope: Envelope,
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const { slots, stale } = await placeOrganizations(repos, desired);
  const { releases, claims } = await planDomainClaims(repos, slots, stale, context);
  const customDomains = await planCustomDomains(repos, slots, context);
  const upserts: PlannedChange[] = [];
  const roleDeletes: PlannedChange[] = [];
  for (const slot of slots) {
    const roles = await planRoles(repos, slot, context);
    const connections = await planConnections(repos, slot, envelope, context);
    const routing = await planRouting(repos, slot, context);
    // Directories map groups to roles: they are written once the organization's roles exist.
    const directories = await planDirectories(repos, slot, context);
    // Routing names connections: it is written once they exist and before any of them is deleted.
    upserts.push(
      compareOrganization(slot, context),
      ...roles.upserts,
      ...(claims.get(slot.desired.slug) ?? []),
      ...(customDomains.changes.get(slot.desired.slug) ?? []),
      ...routing.detach,
      ...connections.filter((change) => change.action !== 'delete'),
      ...routing.change,
      ...connections.filter((change) => change.action === 'delete'),
      ...directories,
    );
    roleDeletes.push(...roles.deletes);
  }
  const removals = await planRemovals(repos, stale, slots, context);
  return [...releases, ...customDomains.releases, ...upserts, ...roleDeletes, ...removals];
}

/** The row the file describes: every field it owns, in the repository's shape. */
function rowFor(slot: OrganizationSlot): Omit<NewOrganization, 'id' | 'status'> {
  const { desired } = slot;
  // Through JSON, as the row stores it: an undefined optional field equals an absent one.
  const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    slug: desired.slug,
    name: desired.name,
    parentId: slot.parentId,
    metadata: stored(desired.metadata),
    domainPolicy: stored(desired.domainPolicy),
    securityPolicies: stored(desired.securityPolicies),
    defaultRole: desired.defaultRole,
    branding: stored(desired.branding),
    provisioning: stored(desired.provisioning),
    plan: stored(desired.plan),
    managedBy: CONFIG_OWNER,
  };
}

const FIELDS = {
  name: 'name',
  parentId: 'parent',
  metadata: 'metadata',
  domainPolicy: 'domain_policy',
  securityPolicies: 'security_policies',
  defaultRole: 'default_role',
  branding: 'branding',
  provisioning: 'provisioning',
  plan: 'plan',
  managedBy: 'managed_by',
} as const;

function compareOrganization(slot: OrganizationSlot, context: OrganizationPlanContext): PlannedChange {
  const next = rowFor(slot);
  const id = slot.desired.slug;
  const before = slot.stored;
  if (!before) {
    const write = async (tx: Repositories) => {
      const after = await tx.organizations.create({ id: slot.id, status: 'active', ...next });
      await recordChange(tx, context.actor, {
        organizationId: after.id,
        action: 'organization.create',
        targetType: 'organization',
        targetId: after.id,
        before: null,
        after,
      });
    };
    return { kind: 'organization', id, action: 'create', changes: [], write };
  }
  const keys = Object.keys(FIELDS) as (keyof typeof FIELDS)[];
  const changed = keys.filter((key) => !isDeepStrictEqual(before[key], next[key]));
  if (changed.length === 0) return { kind: 'organization', id, action: 'unchanged', changes: [] };
  const write = async (tx: Repositories) => {
    const after = await tx.organizations.update(before.id, next);
    await recordChange(tx, context.actor, {
      organizationId: after.id,
      action: 'organization.update',
      targetType: 'organization',
      targetId: after.id,
      before,
      after,
    });
  };
  return { kind: 'organization', id, action: 'update', changes: changed.map((key) => FIELDS[key]), write };
}

/**
 * Config-owned organizations that left the file, deepest first. Their roles, memberships and
 * claims go with them; a sub-organization the file does not manage keeps its parent, so that
 * parent cannot be deleted and the apply stops before writing anything.
 */
async function planRemovals(
  repos: Repositories,
  stale: readonly OrganizationRecord[],
  slots: readonly OrganizationSlot[],
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const leaving = new Set(stale.map((row) => row.id));
  const moving = new Set(slots.map((slot) => slot.id));
  const depths = new Map<string, number>();
  for (const organization of stale) {
    const below = await repos.organizations.subtreeIds(organization.id);
    const kept = below.filter((id) => !leaving.has(id) && !moving.has(id));
    if (kept.length > 0) {
      const slugs = await Promise.all(
        kept.map(async (id) => (await repos.organizations.find(id))?.slug ?? id),
      );
      throw new ConflictError(
        `organization ${organization.slug} left the file but cannot be deleted: its sub-organizations ` +
          `${slugs.join(', ')} are not managed by the file`,
        'organization_not_empty',
      );
    }
    depths.set(organization.id, (await repos.organizations.chain(organization.id)).length);
  }
  const deepestFirst = [...stale].sort((a, b) => (depths.get(b.id) ?? 0) - (depths.get(a.id) ?? 0));
  return deepestFirst.map((before) => ({
    kind: 'organization',
    id: before.slug,
    action: 'delete',
    changes: [],
    write: async (tx: Repositories) => {
      await tx.organizations.delete(before.id).catch((error: unknown) => {
        // Clients registered for it hold the row (the database refuses): say which organization.
        if (!(error instanceof ConflictError)) throw error;
        throw new ConflictError(`organization ${before.slug} left the file: ${error.message}`, error.code);
      });
      await recordChange(tx, context.actor, {
        organizationId: before.id,
        action: 'organization.delete',
        targetType: 'organization',
        targetId: before.id,
        before,
        after: null,
      });
    },
  }));
}
