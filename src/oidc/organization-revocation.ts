import type { Logger } from 'pino';
import type { Sessions } from '../domain/ports/sessions.js';
import type { Actor, GrantOrganizationRecord, GrantOrganizationRepository } from '../domain/ports/tenancy.js';
import type { LogoutNotice } from '../domain/sessions/logout-delivery.js';
import { revokeGrant } from './access-revocation.js';
import type { ModelStores } from './session-models.js';

export interface OrganizationRevocationResult {
  sessions: number;
  grants: number;
}

/** Revokes every session and grant of a set of organizations (the kill switch). */
export type RevokeOrganizations = (
  organizationIds: readonly string[],
  options?: { actor?: Actor; grants?: (binding: GrantOrganizationRecord) => boolean },
) => Promise<OrganizationRevocationResult>;

/**
 * Takes every user's access to a set of organizations away at once: each browser session signed
 * in for one of them ends (which also ends its grants and queues its back-channel logouts), then
 * every grant bound to one of them is destroyed with its refresh tokens, access token records and
 * unused codes, and each application that registered a back-channel logout URI is told (OIDC
 * Back-Channel Logout 1.0 §2.5, without `sid`: offline grants outlive sessions). `grants` narrows
 * the grants (a federation freeze may end only partner grants); sessions are always all ended.
 * Access tokens already handed out are JWTs that live at most ACCESS_TOKEN_TTL_SECONDS;
 * introspection answers inactive for them as soon as the caller's own check (frozen, suspended)
 * refuses the organization.
 */
export function createOrganizationRevocation(deps: {
  models: ModelStores;
  grants: Pick<GrantOrganizationRepository, 'bindingsFor'>;
  sessions: Pick<Sessions, 'endForOrganization'>;
  notify(notices: readonly LogoutNotice[]): Promise<void>;
  logger: Logger;
}): RevokeOrganizations {
  return async (organizationIds, options = {}) => {
    let sessions = 0;
    for (const organizationId of organizationIds)
      sessions += await deps.sessions.endForOrganization(organizationId, 'revoked', options.actor);
    const bindings = (await deps.grants.bindingsFor(organizationIds)).filter(options.grants ?? (() => true));
    const notices = new Map<string, LogoutNotice>();
    for (const binding of bindings) {
      await revokeGrant(deps.models, binding.grantId);
      notices.set(`${binding.clientId}\u0000${binding.userId}`, {
        clientId: binding.clientId,
        accountId: binding.userId,
        sid: null,
      });
    }
    deps.logger.info(
      { event: 'organizations.revoked', organizationIds, sessions, grants: bindings.length },
      'organization access revoked',
    );
    await deps.notify([...notices.values()]);
    return { sessions, grants: bindings.length };
  };
}
