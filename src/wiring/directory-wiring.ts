import type { Logger } from 'pino';
import { createDirectoryGroups } from '../domain/directories/directory-groups.js';
import { createDirectoryUsers } from '../domain/directories/directory-users.js';
import { createListCursors } from '../domain/directories/list-cursors.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { Database } from '../domain/ports/repositories.js';
import { createAccessRevocation } from '../oidc/access-revocation.js';
import type { SessionServices } from '../oidc/session-services.js';

/** Part of the composition root: SCIM directory sync and what a leaver's removal revokes. */
export function wireDirectories(
  db: Database,
  store: EphemeralStore,
  sessions: Pick<SessionServices, 'sessions' | 'models' | 'logoutDelivery'>,
  logger: Logger,
) {
  const cursors = createListCursors(store);
  const revokeAccess = createAccessRevocation({
    models: sessions.models,
    grants: db.grantOrganizations,
    endSessions: (userId, organizationId) =>
      sessions.sessions.endForUser(userId, { organizationId }, 'access_ended'),
    notify: sessions.logoutDelivery.notify,
    logger,
  });
  return {
    directoryUsers: createDirectoryUsers(db, { revokeAccess, cursors }),
    directoryGroups: createDirectoryGroups(db, { cursors }),
  };
}
export type DirectoryServices = ReturnType<typeof wireDirectories>;
