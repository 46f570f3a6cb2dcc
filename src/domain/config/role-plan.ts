import { isDeepStrictEqual } from 'node:util';
import { newId } from '../../lib/ids.js';
import { dropRoleWhereNoLongerOffered } from '../organizations/role-holders.js';
import type { Repositories } from '../ports/repositories.js';
import type { RoleRecord } from '../ports/tenancy.js';
import type { DesiredRole, PlannedChange } from './desired-state.js';
import { type OrganizationPlanContext, type OrganizationSlot } from './organization-slots.js';
import { recordChange } from '../organizations/tenancy-scope.js';

export interface RolePlan {
  /** Creates and updates, written with their organization. */
  upserts: PlannedChange[];
  /** Written after every organization's upserts, so a name moving down the tree stays offered. */
  deletes: PlannedChange[];
}

/** The file's roles are an organization's whole list: roles it does not name are deleted. */
export async function planRoles(
  repos: Repositories,
  slot: OrganizationSlot,
  context: OrganizationPlanContext,
): Promise<RolePlan> {
  const stored = slot.stored ? await repos.roles.listFor([slot.stored.id]) : [];
  const entryId = (name: string) => `${slot.desired.slug}/${name}`;
  const upserts = slot.desired.roles.map((role) => {
    const before = stored.find((row) => row.name === role.name);
    return before
      ? compareRole(before, role, entryId(role.name), context)
      : createRole(slot, role, entryId(role.name), context);
  });
  const wanted = new Set(slot.desired.roles.map((role) => role.name));
  const deletes = stored
    .filter((row) => !wanted.has(row.name))
    .map((row) => deleteRole(row, entryId(row.name), context));
  return { upserts, deletes };
}

function createRole(
  slot: OrganizationSlot,
  role: DesiredRole,
  id: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    const after = await tx.roles.create({ id: newId('rol'), organizationId: slot.id, ...role });
    await recordChange(tx, context.actor, {
      organizationId: slot.id,
      action: 'role.create',
      targetType: 'role',
      targetId: after.id,
      before: null,
      after,
    });
  };
  return { kind: 'role', id, action: 'create', changes: [], write };
}

function compareRole(
  before: RoleRecord,
  role: DesiredRole,
  id: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const fields = ['description', 'permissions', 'admin', 'overridable'] as const;
  const changes = fields.filter((field) => !isDeepStrictEqual(before[field], role[field]));
  if (changes.length === 0) return { kind: 'role', id, action: 'unchanged', changes: [] };
  const write = async (tx: Repositories) => {
    const { description, permissions, admin, overridable } = role;
    const after = await tx.roles.update(before.id, { description, permissions, admin, overridable });
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: 'role.update',
      targetType: 'role',
      targetId: before.id,
      before,
      after,
    });
  };
  return { kind: 'role', id, action: 'update', changes: [...changes], write };
}

function deleteRole(before: RoleRecord, id: string, context: OrganizationPlanContext): PlannedChange {
  const write = async (tx: Repositories) => {
    await tx.roles.delete(before.id);
    await dropRoleWhereNoLongerOffered(tx, before.organizationId, before.name);
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: 'role.delete',
      targetType: 'role',
      targetId: before.id,
      before,
      after: null,
    });
  };
  return { kind: 'role', id, action: 'delete', changes: [], write };
}
