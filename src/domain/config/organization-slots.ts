import { newId } from '../../lib/ids.js';
import type { SpCredentialGenerator } from '../organizations/connections-admin.js';
import type { Repositories } from '../ports/repositories.js';
import type { Actor, OrganizationRecord } from '../ports/tenancy.js';
import { allPages } from '../all-pages.js';
import { CONFIG_OWNER, type DesiredOrganization } from './desired-state.js';

/** One organization of the file, placed: its row (if any), the id it has or will have, its parent. */
export interface OrganizationSlot {
  desired: DesiredOrganization;
  /** The row with this slug, whoever owns it; undefined when apply creates it. */
  stored: OrganizationRecord | undefined;
  /** The stored id, or the one apply will create the row with (children refer to it). */
  id: string;
  parentId: string | null;
}

export interface OrganizationPlanContext {
  actor: Actor;
  now: () => Date;
  spCredential?: SpCredentialGenerator | undefined;
}

export interface PlacedOrganizations {
  /** The file's organizations, parents before children (the order they are written in). */
  slots: OrganizationSlot[];
  /** Config-owned organizations the file no longer declares. */
  stale: OrganizationRecord[];
}

/** Matches the file's tree with the stored rows, by slug (slugs are unique across the tree). */
export async function placeOrganizations(
  repos: Repositories,
  desired: readonly DesiredOrganization[],
): Promise<PlacedOrganizations> {
  const owned = await allPages((page) => repos.organizations.list({ managedBy: CONFIG_OWNER }, page));
  const slots: OrganizationSlot[] = [];
  const visit = async (organizations: readonly DesiredOrganization[], parentId: string | null) => {
    for (const organization of organizations) {
      const stored =
        owned.find((row) => row.slug === organization.slug) ??
        (await repos.organizations.findBySlug(organization.slug));
      const slot = { desired: organization, stored, id: stored?.id ?? newId('org'), parentId };
      slots.push(slot);
      await visit(organization.children, slot.id);
    }
  };
  await visit(desired, null);
  const wanted = new Set(slots.map((slot) => slot.desired.slug));
  return { slots, stale: owned.filter((row) => !wanted.has(row.slug)) };
}
