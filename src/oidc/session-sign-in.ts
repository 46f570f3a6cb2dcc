import type { IncomingMessage } from 'node:http';
import type { SessionAdmission } from '../domain/sessions/session-admission.js';
import type { Interactions } from './interactions.js';
import type { OidcProvider } from './provider-factory.js';

/**
 * The client's address as the edge saw it: provider-host.ts drops X-Forwarded-For unless
 * TRUST_PROXY, so a header still present was set by a trusted proxy.
 */
function clientIp(req: IncomingMessage): string | null {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || null;
}

/**
 * Interactions under the session policy: a finished login first takes its place under the
 * user's concurrent-session limit (or is refused: the application gets `access_denied` with the
 * reason, and nothing is kept), before oidc-provider issues anything; an organization picked
 * after the login brings its own policy (domain/sessions/session-admission.ts).
 */
export function withSessionAdmission(
  inner: Interactions,
  provider: () => OidcProvider,
  admission: Pick<SessionAdmission, 'reserve' | 'settleOrganization'>,
): Interactions {
  return {
    ...inner,
    async finishLogin(req, res, accountId, method, organization) {
      const details = await provider().interactionDetails(req, res);
      const userAgent = req.headers['user-agent'];
      const outcome = await admission.reserve({
        interactionUid: details.uid,
        userId: accountId,
        organizationId: organization?.id,
        connectionId: method.connectionId ?? null,
        upstream: method.upstream,
        impersonation: method.impersonation,
        amr: method.amr,
        browserSessionId: details.session?.uid ?? null,
        ip: clientIp(req),
        userAgent: userAgent ? userAgent.slice(0, 512) : null,
      });
      if (!outcome.admitted) return inner.abort(req, res, outcome.description);
      return inner.finishLogin(req, res, accountId, method, organization);
    },
    async finishOrganization(req, res, organization) {
      const details = await provider().interactionDetails(req, res);
      const sessionId = details.session?.uid;
      const outcome = sessionId
        ? await admission.settleOrganization(sessionId, organization.id)
        : ({ admitted: true } as const);
      if (!outcome.admitted) return inner.abort(req, res, outcome.description);
      return inner.finishOrganization(req, res, organization);
    },
  };
}
