import { createHash, randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import {
  ImpersonationRefusal,
  type ImpersonationGrant,
} from '../../domain/impersonation/impersonation-grant.js';
import { sessionImpersonationOf, type SupportSessions } from '../../domain/impersonation/support-session.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { Sessions } from '../../domain/ports/sessions.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { Interactions } from '../../oidc/interactions.js';
import type { SessionAccount } from '../../oidc/session-account.js';
import { sendPage } from '../views.js';

export interface SupportSignInDeps {
  /** Redeems the single-use ticket the operator got from the admin API (and starts the clock). */
  redeemTicket(ticket: string): Promise<ImpersonationGrant>;
  isLive(impersonationId: string): Promise<boolean>;
  /** The id of an organization named by id or slug (the application's `organization` parameter). */
  organizationIdOf(ref: string): Promise<string | undefined>;
  support: Pick<SupportSessions, 'signedIn'>;
  interactions: Pick<Interactions, 'load' | 'finishLogin' | 'abort'>;
  /** The browser's current Gatehouse session: ended, so that its next sign-in is the user's. */
  sessionAccount(ctx: Context): Promise<SessionAccount | undefined>;
  sessions: Pick<Sessions, 'end'>;
  store: EphemeralStore;
  render: RenderPage;
  secureCookies: boolean;
}

/** The operator has ten minutes to open the application the support session is for. */
const PENDING_SECONDS = 600;
const COOKIE = 'gh_support';
const AMR = ['imp'];
const keyOf = (nonce: string) =>
  `impersonation:sign-in:${createHash('sha256').update(nonce).digest('base64url')}`;

type Pending = Omit<ImpersonationGrant, 'endsAt'> & { endsAt: string };

/**
 * Support access in the browser. The operator opens the ticket link: the browser's own Gatehouse
 * session (the operator's, if any) ends, and the next sign-in in this browser, whichever
 * application starts it within ten minutes, is the user's, for the impersonation's organization,
 * with `amr` ["imp"]. The session registry keeps the impersonation on the session, so the session
 * ends with it, the pages show the support banner and the application's tokens carry `act`.
 */
export function supportSignInRoutes(deps: SupportSignInDeps): Router {
  const router = new Router();
  const refuse = (ctx: Context, description: string) =>
    sendPage(ctx, deps.render, 'error', { title: 'Support access unavailable', description }, 400);

  router.get('/impersonation/:id/start', async (ctx) => {
    const ticket = ctx.query.ticket;
    if (typeof ticket !== 'string' || ticket === '') return refuse(ctx, 'This support link has no ticket.');
    let grant: ImpersonationGrant;
    try {
      grant = await deps.redeemTicket(ticket);
    } catch (error) {
      if (!(error instanceof ImpersonationRefusal)) throw error;
      return refuse(
        ctx,
        'This support link is not valid: it was used already, it expired, or the access ended.',
      );
    }
    if (grant.id !== ctx.params.id) return refuse(ctx, 'This support link belongs to another impersonation.');
    const seconds = Math.min(PENDING_SECONDS, Math.floor((grant.endsAt.getTime() - Date.now()) / 1000));
    const nonce = randomBytes(32).toString('base64url');
    await deps.store.put(
      keyOf(nonce),
      JSON.stringify({ ...grant, endsAt: grant.endsAt.toISOString() }),
      seconds,
    );
    const current = await deps.sessionAccount(ctx);
    if (current)
      await deps.sessions.end(current.sessionUid, 'logout', { type: 'user', id: current.accountId });
    ctx.cookies.set(COOKIE, nonce, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/interaction',
      maxAge: seconds * 1000,
      signed: false,
    });
    sendPage(ctx, deps.render, 'impersonation-ready', {
      operatorName: grant.operatorName,
      reason: grant.reason,
      until: grant.endsAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    });
  });

  router.get('/interaction/:uid', async (ctx, next) => supportSignIn(ctx, next, deps));
  return router;
}

/** The sign-in of a pending support session: the user's, for the impersonation's organization. */
async function supportSignIn(ctx: Context, next: Next, deps: SupportSignInDeps): Promise<void> {
  const nonce = ctx.cookies.get(COOKIE);
  const stored = nonce ? await deps.store.take(keyOf(nonce)) : undefined;
  if (!stored) return next();
  ctx.cookies.set(COOKIE, null, { path: '/interaction' });
  const pending = JSON.parse(stored) as Pending;
  const grant: ImpersonationGrant = { ...pending, endsAt: new Date(pending.endsAt) };
  const view = await deps.interactions.load(ctx.req, ctx.res);
  const refusal = await refusalFor(deps, grant, view);
  if (refusal) await deps.interactions.abort(ctx.req, ctx.res, refusal);
  else {
    await deps.support.signedIn(grant, view.clientId);
    await deps.interactions.finishLogin(
      ctx.req,
      ctx.res,
      grant.userId,
      { amr: AMR, impersonation: sessionImpersonationOf(grant) },
      { id: grant.organizationId },
    );
  }
  ctx.respond = false;
}

async function refusalFor(
  deps: SupportSignInDeps,
  grant: ImpersonationGrant,
  view: Awaited<ReturnType<Interactions['load']>>,
): Promise<string | undefined> {
  if (!(await deps.isLive(grant.id))) return 'the support access has ended';
  const requested = view.requestedOrganization && (await deps.organizationIdOf(view.requestedOrganization));
  const owner = view.clientOrganizationId;
  if (requested === undefined || (requested !== null && requested !== grant.organizationId)) {
    return 'the support access is for another organization';
  }
  // An application of another tenant never sees this organization's users (organization-claims.ts).
  if (owner !== null && owner !== grant.organizationId)
    return 'the support access is for another organization';
  return undefined;
}
