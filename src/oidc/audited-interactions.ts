import type { IncomingMessage } from 'node:http';
import type { SignInSucceeded } from '../domain/audit/sign-in-audit.js';
import type { Interactions } from './interactions.js';

/**
 * The client address as Koa's `ctx.ip` sees it: the provider host keeps X-Forwarded-For only when
 * TRUST_PROXY is set (provider-host.ts), so its first entry is the client's, else the socket's.
 */
export function requestIp(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || undefined;
}

/**
 * Every finished sign-in (password, Magic Auth, SSO, each with or without a second factor) ends in
 * finishLogin: one place records them all, before the browser goes back to the application. A
 * support impersonation is recorded by its own module, not as the user's sign-in.
 */
export function withSignInAudit(
  interactions: Interactions,
  record: (event: SignInSucceeded) => Promise<void>,
): Interactions {
  return {
    ...interactions,
    async finishLogin(req, res, accountId, method, organization) {
      if (!method.impersonation) {
        const view = await interactions.load(req, res);
        await record({
          userId: accountId,
          clientId: view.clientId,
          organizationId: organization?.id ?? null,
          amr: method.amr,
          acr: method.acr,
          connectionId: method.connectionId ?? null,
          ip: requestIp(req),
          riskAssessmentId: method.riskAssessmentId,
        });
      }
      await interactions.finishLogin(req, res, accountId, method, organization);
    },
  };
}
