import { newId } from '../../lib/ids.js';
import { ConflictError } from '../errors.js';
import { newVerificationToken } from '../organizations/domain-verification.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { CustomDomainRecord } from '../ports/custom-domains.js';
import type { Repositories } from '../ports/repositories.js';
import type { DesiredCustomDomain, PlannedChange } from './desired-state.js';
import type { OrganizationPlanContext, OrganizationSlot } from './organization-slots.js';

export interface CustomDomainPlan {
  /** Hosts the file drops, removed before anything is created: a host may move between organizations. */
  releases: PlannedChange[];
  /** Creates and updates by organization slug, written with their organization. */
  changes: Map<string, PlannedChange[]>;
}

const entryId = (slug: string, host: string) => `${slug}/${host}`;

/**
 * The file's custom login domains. An organization that lists `custom_domains` owns its whole
 * list (the rows carry no owner marker, so the list is the file's word, as for roles); one that
 * does not list the key keeps what the admin API gave it. `verified: true` (the default, as for
 * domains) is the operator's attestation; `verified: false` leaves the proof to DNS and takes back
 * nothing DNS already proved.
 */
export async function planCustomDomains(
  repos: Repositories,
  slots: readonly OrganizationSlot[],
  context: OrganizationPlanContext,
): Promise<CustomDomainPlan> {
  const releases: PlannedChange[] = [];
  const changes = new Map<string, PlannedChange[]>();
  const declared = slots.filter((slot) => slot.desired.customDomains !== undefined);
  const movedAway = new Set<string>();
  for (const slot of declared) {
    const wanted = slot.desired.customDomains ?? [];
    const stored = slot.stored ? await repos.customDomains.listFor(slot.stored.id) : [];
    const left = stored.filter((row) => !wanted.some((entry) => entry.host === row.host));
    left.forEach((row) => movedAway.add(row.host));
    releases.push(...left.map((row) => deleteDomain(row, slot.desired.slug, context)));
    changes.set(
      slot.desired.slug,
      wanted.map((entry) => {
        const before = stored.find((row) => row.host === entry.host);
        return before
          ? compareDomain(before, entry, slot.desired.slug, context)
          : createDomain(slot, entry, context);
      }),
    );
  }
  await assertHostsFree(repos, declared, movedAway);
  return { releases, changes };
}

/** A host declared twice, or held by an organization that keeps it, cannot be created. */
async function assertHostsFree(
  repos: Repositories,
  declared: readonly OrganizationSlot[],
  movedAway: ReadonlySet<string>,
) {
  const seen = new Map<string, string>();
  for (const slot of declared) {
    for (const { host } of slot.desired.customDomains ?? []) {
      const other = seen.get(host);
      if (other)
        throw new ConflictError(
          `custom domain ${host} is listed by both ${other} and ${slot.desired.slug}`,
          'custom_domain_taken',
        );
      seen.set(host, slot.desired.slug);
      const holder = await repos.customDomains.findByHost(host);
      if (!holder || holder.organizationId === slot.id || movedAway.has(host)) continue;
      const owner = await repos.organizations.find(holder.organizationId);
      throw new ConflictError(
        `custom domain ${host} (organization ${slot.desired.slug}) belongs to organization ` +
          `${owner?.slug ?? holder.organizationId}; remove it there first or drop it from the file`,
        'custom_domain_taken',
      );
    }
  }
}

function createDomain(
  slot: OrganizationSlot,
  entry: DesiredCustomDomain,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    const after = await tx.customDomains.create({
      id: newId('cdm'),
      organizationId: slot.id,
      host: entry.host,
      verificationToken: newVerificationToken(),
      verifiedAt: entry.verified ? context.now() : null,
    });
    await recordChange(tx, context.actor, {
      organizationId: slot.id,
      action: 'custom_domain.create',
      targetType: 'custom_domain',
      targetId: after.id,
      before: null,
      after,
    });
  };
  return {
    kind: 'custom_domain',
    id: entryId(slot.desired.slug, entry.host),
    action: 'create',
    changes: [],
    write,
  };
}

function compareDomain(
  before: CustomDomainRecord,
  entry: DesiredCustomDomain,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const id = entryId(slug, entry.host);
  if (!entry.verified || before.verifiedAt)
    return { kind: 'custom_domain', id, action: 'unchanged', changes: [] };
  const write = async (tx: Repositories) => {
    const after = await tx.customDomains.setVerifiedAt(before.id, context.now());
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: 'custom_domain.verify',
      targetType: 'custom_domain',
      targetId: before.id,
      before,
      after,
    });
  };
  return { kind: 'custom_domain', id, action: 'update', changes: ['verified'], write };
}

function deleteDomain(
  before: CustomDomainRecord,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    await tx.customDomains.delete(before.id);
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: 'custom_domain.delete',
      targetType: 'custom_domain',
      targetId: before.id,
      before,
      after: null,
    });
  };
  return { kind: 'custom_domain', id: entryId(slug, before.host), action: 'delete', changes: [], write };
}
