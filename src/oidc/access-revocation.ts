import type { Logger } from 'pino';
import type { LogoutNotice } from '../domain/sessions/logout-delivery.js';
import type { GrantOrganizationRepository } from '../domain/ports/tenancy.js';
import type { ModelStores } from './session-models.js';

/**
 * Destroys a grant and everything issued under it: refresh tokens, access tokens (opaque ones
 * and the record introspection reads), unused codes. What oidc-provider's own revocation
 * (lib/helpers/revoke.js) does, through the same stores, so it also works where no provider runs
 * (the `gatehouse sessions` command).
 */
export async function revokeGrant(models: ModelStores, grantId: string): Promise<void> {
  await Promise.all([
    models('AccessToken').revokeByGrantId(grantId),
    models('RefreshToken').revokeByGrantId(grantId),
    models('AuthorizationCode').revokeByGrantId(grantId),
    models('Grant').destroy(grantId),
  ]);
}

/**
 * Takes a user's access to one organization away at once: the user's sessions for it end (see
 * domain/sessions), and every grant bound to it (and so every refresh token, access token and
 * unused code issued under them) is destroyed, and each application that registered a
 * back-channel logout URI is told (OIDC Back-Channel Logout 1.0, retried until it lands). The
 * user's sessions for other organizations are left alone. Access tokens already handed out are
 * JWTs an API may check offline: they live at most ACCESS_TOKEN_TTL_SECONDS, and introspection
 * answers inactive for them from this moment (the membership is no longer active).
 */
export function createAccessRevocation(deps: {
  models: ModelStores;
  grants: Pick<GrantOrganizationRepository, 'grantIdsFor' | 'find'>;
  endSessions(userId: string, organizationId: string): Promise<number>;
  notify(notices: readonly LogoutNotice[]): Promise<void>;
  logger: Logger;
}) {
  const revokeGrants = async (userId: string, organizationId: string, clients: Set<string>) => {
    const grantIds = await deps.grants.grantIdsFor(userId, organizationId);
    for (const grantId of grantIds) {
      const binding = await deps.grants.find(grantId);
      if (binding) clients.add(binding.clientId);
      await revokeGrant(deps.models, grantId);
    }
    return grantIds.length;
  };
  return async (userId: string, organizationId: string): Promise<void> => {
    const clients = new Set<string>();
    // Side by side: a grant made in one of the sessions may be revoked by both, which is harmless.
    const [sessions, grants] = await Promise.all([
      deps.endSessions(userId, organizationId),
      revokeGrants(userId, organizationId, clients),
    ]);
    deps.logger.info(
      { event: 'access.revoked', userId, organizationId, grants, sessions },
      'organization access revoked',
    );
    // No sid: these grants may outlive any session (offline access). §2.4: applications that
    // require one are skipped when sending.
    await deps.notify([...clients].map((clientId) => ({ clientId, accountId: userId, sid: null })));
  };
}
