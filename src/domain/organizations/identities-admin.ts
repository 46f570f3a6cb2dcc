import { NotFoundError } from '../errors.js';
import type { IdentityRecord } from '../ports/federation.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { AdminPrincipal } from './admin-principal.js';
import { recordChange, visibleIds, visibleUser, withinScope } from './tenancy-scope.js';

/** A linked upstream account, with the connection and organization it belongs to. */
export type IdentityView = IdentityRecord & { connectionKey: string; organizationId: string };

/**
 * A user's linked upstream accounts. Unlinking is how an administrator settles an
 * `identity_conflict` (a mailbox handed to someone new at the IdP): the next sign-in through that
 * connection links afresh. A delegated key sees and unlinks only its organizations' connections.
 */
export function createIdentitiesAdmin(db: Database) {
  const visibleIdentities = async (repos: Repositories, principal: AdminPrincipal, userRef: string) => {
    const user = await visibleUser(repos, principal, userRef);
    const ids = await visibleIds(repos, principal);
    const views: IdentityView[] = [];
    for (const identity of await repos.identities.listForUser(user.id)) {
      const connection = await repos.connections.findById(identity.connectionId);
      if (!connection || !withinScope(ids, connection.organizationId)) continue;
      views.push({ ...identity, connectionKey: connection.key, organizationId: connection.organizationId });
    }
    return views;
  };

  return {
    list: (principal: AdminPrincipal, userRef: string) => visibleIdentities(db, principal, userRef),

    unlink(principal: AdminPrincipal, userRef: string, identityId: string): Promise<void> {
      return db.transaction(async (repos) => {
        const identity = (await visibleIdentities(repos, principal, userRef)).find(
          (candidate) => candidate.id === identityId,
        );
        if (!identity) throw new NotFoundError(`identity ${identityId}`);
        await repos.identities.delete(identity.id);
        await recordChange(repos, principal.actor, {
          organizationId: identity.organizationId,
          action: 'identity.unlink',
          targetType: 'identity',
          targetId: identity.id,
          before: { ...identity },
          after: null,
        });
      });
    },
  };
}
export type IdentitiesAdmin = ReturnType<typeof createIdentitiesAdmin>;
