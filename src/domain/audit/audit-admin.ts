import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleIds, visibleOrganization } from '../organizations/tenancy-scope.js';
import type { Database } from '../ports/repositories.js';
import type { AuditFilter, AuditRecord, PageRequest } from '../ports/tenancy.js';

const EXPORT_PAGE = 500;

/**
 * Reading the audit log, scoped like every other admin read: an environment principal sees every
 * record, a delegated admin only its subtree's (never the platform chain), and naming an
 * organization outside the principal's subtree answers NotFound, as if it did not exist.
 */
export function createAuditAdmin(db: Database) {
  /** The organizations whose records the read covers; undefined: all of them, platform included. */
  const scope = async (principal: AdminPrincipal, organization: string | undefined) => {
    if (organization !== undefined) return [(await visibleOrganization(db, principal, organization)).id];
    return visibleIds(db, principal);
  };
  const scoped = (filter: AuditFilter, organizationIds: readonly string[] | undefined): AuditFilter =>
    organizationIds ? { ...filter, organizationIds } : filter;

  return {
    /** One page, ascending by id; `organization` (id or slug) narrows it to that organization. */
    async list(
      principal: AdminPrincipal,
      organization: string | undefined,
      filter: AuditFilter,
      page: PageRequest,
    ): Promise<AuditRecord[]> {
      return db.audit.list(scoped(filter, await scope(principal, organization)), page);
    },

    /**
     * Every matching record from `after` on, read a page at a time while the consumer takes them.
     * The scope and the first page are read before this resolves, so a refusal or a bad cursor can
     * still be a proper answer rather than a broken stream.
     */
    async export(
      principal: AdminPrincipal,
      organization: string | undefined,
      filter: AuditFilter,
      after?: string,
    ): Promise<AsyncIterable<AuditRecord>> {
      const where = scoped(filter, await scope(principal, organization));
      const first = await db.audit.list(where, { after, limit: EXPORT_PAGE });
      return (async function* () {
        let page = first;
        yield* page;
        while (page.length === EXPORT_PAGE) {
          page = await db.audit.list(where, { after: page.at(-1)!.id, limit: EXPORT_PAGE });
          yield* page;
        }
      })();
    },
  };
}
export type AuditAdmin = ReturnType<typeof createAuditAdmin>;
