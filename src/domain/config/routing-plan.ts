import { isDeepStrictEqual } from 'node:util';
import type { RoutingSettings } from '../organizations/routing-input.js';
import { routingView, validateRouting } from '../organizations/routing-settings.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { ConnectionRecord } from '../ports/connections.js';
import type { Repositories } from '../ports/repositories.js';
import type { PlanAction, PlannedChange } from './desired-state.js';
import type { OrganizationPlanContext, OrganizationSlot } from './organization-slots.js';

export interface RoutingPlan {
  /** Written before the organization's connection writes: clears routing that names a connection being replaced. */
  detach: PlannedChange[];
  /** Written after connections are created and before any is deleted; none when there is no routing either side. */
  change: PlannedChange[];
}

const isEmpty = (settings: RoutingSettings) =>
  settings.rules.length === 0 && settings.fallback_connection === null;

/** Keys of stored connections the file replaces with a new row (their type changes). */
function replacedKeys(slot: OrganizationSlot, stored: readonly ConnectionRecord[]): Set<string> {
  const changesType = (row: ConnectionRecord) =>
    slot.desired.connections.some((input) => input.key === row.key && input.type !== row.type);
  return new Set(stored.filter(changesType).map((row) => row.key));
}

/** What differs; routing naming a replaced connection is written again even when it reads the same. */
function changedFields(before: RoutingSettings, wanted: RoutingSettings, replaced: ReadonlySet<string>) {
  const fallback = before.fallback_connection;
  const rulesChange =
    !isDeepStrictEqual(before.rules, wanted.rules) ||
    before.rules.some((rule) => replaced.has(rule.connection));
  const fallbackChanges =
    fallback !== wanted.fallback_connection || (fallback !== null && replaced.has(fallback));
  return [...(rulesChange ? ['rules'] : []), ...(fallbackChanges ? ['fallback_connection'] : [])];
}

/**
 * The file's routing is an organization's whole routing. Rules name connections by key, so they
 * are resolved to ids when written (a connection the same apply creates has no id before). A
 * connection whose type changes is replaced by a new row: routing that names it is cleared first
 * and written again after, or the database would refuse to delete the old row.
 */
export async function planRouting(
  repos: Repositories,
  slot: OrganizationSlot,
  context: OrganizationPlanContext,
): Promise<RoutingPlan> {
  const { desired } = slot;
  const wanted: RoutingSettings = {
    rules: desired.routing.rules.map(({ domain, connection, priority }) => ({
      domain,
      connection,
      priority,
    })),
    fallback_connection: desired.routing.fallbackConnection,
  };
  const [rules, connections] = slot.stored
    ? await Promise.all([
        repos.routingRules.listFor(slot.stored.id),
        repos.connections.listFor(slot.stored.id),
      ])
    : [[], []];
  const before = routingView(rules, slot.stored?.fallbackConnectionId ?? null, connections);
  if (isEmpty(before) && isEmpty(wanted)) return { detach: [], change: [] };

  const replaced = replacedKeys(slot, connections);
  const changes = changedFields(before, wanted, replaced);
  const base = { kind: 'routing' as const, id: desired.slug };
  if (changes.length === 0) return { detach: [], change: [{ ...base, action: 'unchanged', changes }] };
  const action: PlanAction = isEmpty(before) ? 'create' : isEmpty(wanted) ? 'delete' : 'update';
  const write = (tx: Repositories) => writeRouting(tx, slot, wanted, before, context);
  const detach = async (tx: Repositories) => {
    await tx.routingRules.replace(slot.id, []);
    await tx.organizations.update(slot.id, { fallbackConnectionId: null });
  };
  const named = [...rules.map((rule) => rule.connectionId), slot.stored?.fallbackConnectionId];
  const detaching = connections.some((row) => replaced.has(row.key) && named.includes(row.id));
  return {
    detach: detaching ? [{ ...base, action, changes, write: detach, unlisted: true }] : [],
    change: [{ ...base, action, changes, write }],
  };
}

/** Resolves keys against the connections as they are now, then writes and records like the admin API. */
async function writeRouting(
  tx: Repositories,
  slot: OrganizationSlot,
  wanted: RoutingSettings,
  before: RoutingSettings,
  context: OrganizationPlanContext,
): Promise<void> {
  const current = await tx.connections.listFor(slot.id);
  // The file was checked to name only its own connections and domains (organization-problems).
  const declared = slot.desired.domains.map((claim) => claim.domain);
  const resolved = validateRouting(wanted, declared, current);
  const stored = await tx.routingRules.replace(slot.id, resolved.rules);
  await tx.organizations.update(slot.id, { fallbackConnectionId: resolved.fallbackConnectionId });
  await recordChange(tx, context.actor, {
    organizationId: slot.id,
    action: 'routing.update',
    targetType: 'routing',
    targetId: slot.id,
    before,
    after: routingView(stored, resolved.fallbackConnectionId, current),
  });
}
