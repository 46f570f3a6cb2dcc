import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleIds, visibleOrganization, visibleUser, withinScope } from '../organizations/tenancy-scope.js';
import type { Repositories } from '../ports/repositories.js';
import type { SessionRecord, Sessions } from '../ports/sessions.js';

/**
 * Sessions for administrators (admin API and CLI). A delegated admin sees and ends the sessions
 * whose sign-in was for an organization of its subtree; a session outside it, or one signed in
 * for no organization, behaves as if it did not exist. Every end is audited with its actor.
 */
export function createSessionsAdmin(db: Repositories, sessions: Sessions) {
  const inScope = async (principal: AdminPrincipal, records: SessionRecord[]) => {
    const ids = await visibleIds(db, principal);
    return records.filter((record) => withinScope(ids, record.organizationId));
  };
  const endAll = async (principal: AdminPrincipal, records: SessionRecord[]) => {
    let ended = 0;
    for (const record of records) if (await sessions.end(record.id, 'revoked', principal.actor)) ended += 1;
    return ended;
  };
  const visibleSession = async (principal: AdminPrincipal, id: string, userId?: string) => {
    const record = await sessions.get(id);
    const ids = await visibleIds(db, principal);
    if (
      !record ||
      (userId !== undefined && record.userId !== userId) ||
      !withinScope(ids, record.organizationId)
    )
      throw new NotFoundError(`session ${id}`);
    return record;
  };

  return {
    async listForUser(principal: AdminPrincipal, userRef: string): Promise<SessionRecord[]> {
      const user = await visibleUser(db, principal, userRef);
      return inScope(principal, await sessions.listForUser(user.id));
    },
    async listForOrganization(principal: AdminPrincipal, organizationRef: string): Promise<SessionRecord[]> {
      const organization = await visibleOrganization(db, principal, organizationRef);
      return sessions.listForOrganization(organization.id);
    },
    /** One session; `userRef` when the caller addressed it under its user. */
    async revoke(principal: AdminPrincipal, id: string, userRef?: string): Promise<SessionRecord> {
      const user = userRef === undefined ? undefined : await visibleUser(db, principal, userRef);
      const record = await visibleSession(principal, id, user?.id);
      await sessions.end(record.id, 'revoked', principal.actor);
      return record;
    },
    async revokeForUser(principal: AdminPrincipal, userRef: string): Promise<number> {
      const user = await visibleUser(db, principal, userRef);
      return endAll(principal, await inScope(principal, await sessions.listForUser(user.id)));
    },
    async revokeForOrganization(principal: AdminPrincipal, organizationRef: string): Promise<number> {
      const organization = await visibleOrganization(db, principal, organizationRef);
      return endAll(principal, await sessions.listForOrganization(organization.id));
    },
  };
}
export type SessionsAdmin = ReturnType<typeof createSessionsAdmin>;
