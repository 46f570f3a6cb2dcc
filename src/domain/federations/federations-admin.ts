import { newId } from '../../lib/ids.js';
import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import { memberOrganization, visibleFederation } from './federation-scope.js';
import type { FederationRecord, PartnerGrantBinding } from '../ports/federations.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { PageRequest } from '../ports/tenancy.js';
import type { FederationChange, FederationCreate } from './federation-input.js';
import { createTrustRulesAdmin } from './trust-rules-admin.js';

/** A federation with its members (id and slug) and its rules: what `get` and `show` answer. */
export interface FederationDetail {
  federation: FederationRecord;
  members: Array<{ organizationId: string; slug: string; name: string }>;
  rules: Awaited<ReturnType<Repositories['federations']['rules']>>;
}

export interface FederationsAdminDeps {
  /**
   * Ends partner access at once: revokes the grants (their refresh and access tokens) and ends the
   * partners' sessions for the target organizations (oidc/partner-revocation.ts). Absent: the
   * tokens still stop working at their next use, as every token issue reads the rules fresh.
   */
  revokePartnerGrants?: (bindings: readonly PartnerGrantBinding[]) => Promise<void>;
  now?: () => Date;
}

export function createFederationsAdmin(db: Database, deps: FederationsAdminDeps = {}) {
  const now = deps.now ?? (() => new Date());
  const revoke = async (ruleIds: readonly string[]) => {
    if (!deps.revokePartnerGrants || ruleIds.length === 0) return;
    await deps.revokePartnerGrants(await db.federations.grantsForRules(ruleIds));
  };
  const audit = (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    before: unknown,
    after: unknown,
    id: string,
  ) =>
    recordChange(repos, principal.actor, {
      organizationId: null,
      action: `federation.${action}`,
      targetType: 'federation',
      targetId: id,
      before,
      after,
    });
  const detail = async (repos: Repositories, federation: FederationRecord): Promise<FederationDetail> => {
    const members = await repos.federations.members(federation.id);
    const organizations = await Promise.all(
      members.map((member) => repos.organizations.find(member.organizationId)),
    );
    return {
      federation,
      members: organizations.flatMap((org) =>
        org ? [{ organizationId: org.id, slug: org.slug, name: org.name }] : [],
      ),
      rules: await repos.federations.rules(federation.id),
    };
  };
  const setFrozen = (principal: AdminPrincipal, ref: string, reason: string | null) =>
    db.transaction(async (repos) => {
      const before = await visibleFederation(repos, principal, ref);
      if ((before.frozenAt !== null) === (reason !== null)) return { before, after: before };
      const after = await repos.federations.update(before.id, {
        frozenAt: reason === null ? null : now(),
        frozenReason: reason,
      });
      await audit(repos, principal, reason === null ? 'unfreeze' : 'freeze', before, after, before.id);
      return { before, after };
    });

  return {
    async list(principal: AdminPrincipal, page: PageRequest): Promise<FederationRecord[]> {
      if (principal.scope.kind !== 'environment') throw new NotFoundError('federations');
      return db.federations.list(page);
    },

    get: async (principal: AdminPrincipal, ref: string) =>
      detail(db, await visibleFederation(db, principal, ref)),

    create(principal: AdminPrincipal, input: FederationCreate, managedBy: string | null = null) {
      return db.transaction(async (repos) => {
        if (principal.scope.kind !== 'environment') throw new NotFoundError('federations');
        const members = await Promise.all((input.members ?? []).map((ref) => memberOrganization(repos, ref)));
        const federation = await repos.federations.create({
          id: newId('fed'),
          slug: input.slug,
          name: input.name ?? null,
          frozenAt: null,
          frozenReason: null,
          managedBy,
        });
        for (const member of members) await repos.federations.addMember(federation.id, member.id);
        const created = await detail(repos, federation);
        await audit(repos, principal, 'create', null, created, federation.id);
        return created;
      });
    },

    update(principal: AdminPrincipal, ref: string, input: FederationChange) {
      return db.transaction(async (repos) => {
        const before = await visibleFederation(repos, principal, ref);
        const after = await repos.federations.update(before.id, {
          ...(input.slug === undefined ? {} : { slug: input.slug }),
          ...(input.name === undefined ? {} : { name: input.name }),
        });
        await audit(repos, principal, 'update', before, after, before.id);
        return detail(repos, after);
      });
    },

    /** Deletes the federation with its members and rules; its partners' grants are revoked. */
    async remove(principal: AdminPrincipal, ref: string): Promise<void> {
      const ruleIds = await db.transaction(async (repos) => {
        const before = await visibleFederation(repos, principal, ref);
        const shown = await detail(repos, before);
        await repos.federations.delete(before.id);
        await audit(repos, principal, 'delete', shown, null, before.id);
        return shown.rules.map((rule) => rule.id);
      });
      await revoke(ruleIds);
    },

    /**
     * The kill switch: every rule of the federation stops at once (token issue, refresh and
     * introspection read the switch), and the partners' grants and sessions are revoked now.
     */
    async freeze(principal: AdminPrincipal, ref: string, reason: string): Promise<FederationRecord> {
      const { after } = await setFrozen(principal, ref, reason);
      await revoke((await db.federations.rules(after.id)).map((rule) => rule.id));
      return after;
    },

    /** Rules apply again; revoked grants stay revoked (partners sign in again). */
    unfreeze: async (principal: AdminPrincipal, ref: string) => (await setFrozen(principal, ref, null)).after,

    ...createTrustRulesAdmin(db, { revoke }),
  };
}
export type FederationsAdmin = ReturnType<typeof createFederationsAdmin>;
