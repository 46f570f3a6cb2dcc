import { newId } from '../../lib/ids.js';
import { ConflictError } from '../errors.js';
import { newVerificationToken } from '../organizations/domain-verification.js';
import type { Repositories } from '../ports/repositories.js';
import type { DomainChanges, DomainRecord, OrganizationRecord } from '../ports/tenancy.js';
import { CONFIG_OWNER, type DesiredDomain, type PlannedChange } from './desired-state.js';
import { type OrganizationPlanContext, type OrganizationSlot } from './organization-slots.js';
import { recordChange } from '../organizations/tenancy-scope.js';

export interface ClaimPlan {
  /**
   * Deletions and withdrawn attestations, written before anything else: a verified name that
   * moves from one organization of the file to another is released before it is claimed again.
   */
  releases: PlannedChange[];
  /** Creates and other updates by organization slug, written with their organization. */
  claims: Map<string, PlannedChange[]>;
}

/**
 * The file's domain claims. `verified: true` is the operator's attestation (method `operator`);
 * `verified: false` leaves proof to DNS, so a DNS-proven claim stays verified while one the file
 * attested earlier goes back to pending. Claims the file does not own are left alone.
 */
export async function planDomainClaims(
  repos: Repositories,
  slots: readonly OrganizationSlot[],
  stale: readonly OrganizationRecord[],
  context: OrganizationPlanContext,
): Promise<ClaimPlan> {
  const releases: PlannedChange[] = [];
  const claims = new Map<string, PlannedChange[]>();
  const pending: Array<{ slot: OrganizationSlot; claim: DesiredDomain }> = [];
  for (const slot of slots) {
    const { slug } = slot.desired;
    const stored = slot.stored ? await repos.domains.listFor(slot.stored.id) : [];
    const changes: PlannedChange[] = [];
    for (const claim of slot.desired.domains) {
      const before = stored.find((row) => row.domain === claim.domain);
      const change = before ? compareClaim(before, claim, slug, context) : createClaim(slot, claim, context);
      (before && withdrawsAttestation(before, claim) ? releases : changes).push(change);
      if (claim.verified && !before?.verifiedAt) pending.push({ slot, claim });
    }
    const wanted = new Set(slot.desired.domains.map((claim) => claim.domain));
    const left = stored.filter((row) => row.managedBy === CONFIG_OWNER && !wanted.has(row.domain));
    releases.push(...left.map((row) => deleteClaim(row, slug, context)));
    claims.set(slug, changes);
  }
  for (const organization of stale) {
    const owned = (await repos.domains.listFor(organization.id)).filter(
      (row) => row.managedBy === CONFIG_OWNER,
    );
    releases.push(...owned.map((row) => deleteClaim(row, organization.slug, context)));
  }
  const released = new Set(releases.map((change) => change.id));
  for (const { slot, claim } of pending) await assertClaimable(repos, slot, claim, released);
  return { releases, claims };
}

const withdrawsAttestation = (before: DomainRecord, claim: DesiredDomain) =>
  !claim.verified && before.verifiedAt !== null && before.verificationMethod === 'operator';

const entryId = (slug: string, domain: string) => `${slug}/${domain}`;

/** A name verified by an organization outside the file (or kept by one in it) cannot be claimed. */
async function assertClaimable(
  repos: Repositories,
  slot: OrganizationSlot,
  claim: DesiredDomain,
  released: ReadonlySet<string>,
) {
  const holder = await repos.domains.findVerified(claim.domain);
  if (!holder || holder.organizationId === slot.id) return;
  const owner = await repos.organizations.find(holder.organizationId);
  if (owner && released.has(entryId(owner.slug, holder.domain))) return;
  throw new ConflictError(
    `domain ${claim.domain} (organization ${slot.desired.slug}) is already verified by organization ` +
      `${owner?.slug ?? holder.organizationId}; remove that claim first or drop it from the file`,
    'domain_taken',
  );
}

function createClaim(
  slot: OrganizationSlot,
  claim: DesiredDomain,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    const at = context.now();
    const after = await tx.domains.create({
      id: newId('dom'),
      organizationId: slot.id,
      domain: claim.domain,
      verificationToken: newVerificationToken(),
      verifiedAt: claim.verified ? at : null,
      verificationMethod: claim.verified ? 'operator' : null,
      lastCheckedAt: null,
      managedBy: CONFIG_OWNER,
    });
    await recordChange(tx, context.actor, {
      organizationId: slot.id,
      action: 'domain.create',
      targetType: 'domain',
      targetId: after.id,
      before: null,
      after,
    });
  };
  return {
    kind: 'domain',
    id: entryId(slot.desired.slug, claim.domain),
    action: 'create',
    changes: [],
    write,
  };
}

function compareClaim(
  before: DomainRecord,
  claim: DesiredDomain,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const id = entryId(slug, claim.domain);
  const verify = claim.verified && !before.verifiedAt;
  const withdraw = withdrawsAttestation(before, claim);
  const takeOver = before.managedBy !== CONFIG_OWNER;
  const changes = [...(verify || withdraw ? ['verified'] : []), ...(takeOver ? ['managed_by'] : [])];
  if (changes.length === 0) return { kind: 'domain', id, action: 'unchanged', changes };
  const write = async (tx: Repositories) => {
    const update: DomainChanges = { managedBy: CONFIG_OWNER };
    if (verify) Object.assign(update, { verifiedAt: context.now(), verificationMethod: 'operator' });
    if (withdraw) Object.assign(update, { verifiedAt: null, verificationMethod: null });
    const after = await tx.domains.update(before.id, update);
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: verify ? 'domain.verify' : 'domain.update',
      targetType: 'domain',
      targetId: before.id,
      before,
      after,
    });
  };
  return { kind: 'domain', id, action: 'update', changes, write };
}

function deleteClaim(before: DomainRecord, slug: string, context: OrganizationPlanContext): PlannedChange {
  const write = async (tx: Repositories) => {
    await tx.domains.delete(before.id);
    await recordChange(tx, context.actor, {
      organizationId: before.organizationId,
      action: 'domain.delete',
      targetType: 'domain',
      targetId: before.id,
      before,
      after: null,
    });
  };
  return { kind: 'domain', id: entryId(slug, before.domain), action: 'delete', changes: [], write };
}
