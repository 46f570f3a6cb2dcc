import type { Logger } from 'pino';
import type { Sessions } from '../domain/ports/sessions.js';
import type { SessionActivity } from '../domain/sessions/session-activity.js';
import type { SessionAdmission } from '../domain/sessions/session-admission.js';
import { setSessionTerms } from './session-terms.js';
import { retryFailedLogouts } from './session-logout-sender.js';
import type { SessionServices } from './session-services.js';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
type Context = Parameters<Middleware>[0];

/** What the guard reads of oidc-provider's Session. */
interface BrowserSession {
  uid: string;
  accountId?: string | undefined;
  destroyed?: boolean;
}

interface AfterRoute {
  oidc?: {
    session?: BrowserSession;
    result?: { login?: unknown };
  };
}

export interface SessionGuardDeps {
  sessions: Pick<Sessions, 'get' | 'end'>;
  activity: SessionActivity;
  admission: Pick<SessionAdmission, 'bind'>;
  /** Gatehouse's own pages that act as the session's user (the account page). */
  pagePrefixes: readonly string[];
  logger: Logger;
}

type Step = 'use' | 'resume' | 'logout';

/**
 * Session policy on the routes that use the browser session, ahead of oidc-provider's handlers:
 * - the authorization endpoint, RP-initiated logout and our own pages first check the session
 *   (ended when past its absolute end, idle too long, or unknown: session-activity.ts) and record
 *   activity;
 * - a resume binds a finished login to the session oidc-provider saved (session-admission.ts);
 * - a confirmed logout removes the session's record (oidc-provider ended the rest).
 * The check and the resume leave the session's terms for `ttl.Session` and the
 * re-authentication check (session-terms.ts).
 */
export function sessionGuard(provider: OidcProvider, deps: SessionGuardDeps): Middleware {
  const authorization = provider.pathFor('authorization');
  const endSession = provider.pathFor('end_session');
  const confirm = provider.pathFor('end_session_confirm');
  const stepOf = (path: string): Step | undefined => {
    if (path === confirm) return 'logout';
    if (path.startsWith(`${authorization}/`)) return 'resume';
    if (path === authorization || path === endSession) return 'use';
    return deps.pagePrefixes.some((prefix) => path.startsWith(prefix)) ? 'use' : undefined;
  };
  const browserSession = async (ctx: Context) =>
    (await provider.Session.get(ctx as never)) as unknown as BrowserSession;

  async function beforeUse(ctx: Context) {
    const session = await browserSession(ctx);
    if (!session.accountId) return;
    setSessionTerms(ctx, await deps.activity.check(session.uid, session.accountId));
  }

  async function beforeResume(ctx: Context, interactionUid: string) {
    const session = await browserSession(ctx);
    const record = session.accountId ? await deps.sessions.get(session.uid) : undefined;
    setSessionTerms(ctx, record ?? (await deps.activity.reservedTerms(interactionUid)));
  }

  async function afterResume(ctx: Context, interactionUid: string) {
    const { oidc } = ctx as AfterRoute;
    const session = oidc?.session;
    if (!oidc?.result?.login || !session?.accountId || session.destroyed) return;
    await deps.admission.bind(interactionUid, session.uid, session.accountId);
  }

  async function afterLogout(ctx: Context) {
    const session = (ctx as AfterRoute).oidc?.session;
    if (!session?.destroyed || !session.accountId) return;
    await deps.sessions.end(session.uid, 'logout', { type: 'user', id: session.accountId });
  }

  return async (ctx, next) => {
    const step = stepOf(ctx.path);
    if (!step) return next();
    const interactionUid = ctx.path.slice(authorization.length + 1);
    if (step === 'use') await beforeUse(ctx);
    if (step === 'resume') await beforeResume(ctx, interactionUid);
    await next();
    try {
      if (step === 'resume') await afterResume(ctx, interactionUid);
      if (step === 'logout') await afterLogout(ctx);
    } catch (error) {
      // The answer is already made; the record catches up at the session's next request.
      deps.logger.error({ err: error, step }, 'session bookkeeping failed');
    }
  };
}

/**
 * The session policy on a (re)built provider: the guard ahead of its routes and retries of the
 * back-channel logouts it fails to deliver. `pagePrefixes`: our own pages using the session.
 */
export function installSessionPolicy(
  provider: OidcProvider,
  services: SessionServices,
  pagePrefixes: readonly string[],
): void {
  const { sessions, activity, admission, logoutDelivery, log } = services;
  retryFailedLogouts(provider, logoutDelivery.retry, log);
  provider.use(sessionGuard(provider, { sessions, activity, admission, pagePrefixes, logger: log }));
}
