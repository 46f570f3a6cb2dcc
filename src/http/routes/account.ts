import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { FactorView } from '../../domain/mfa/factor-audit.js';
import type { FactorNotice } from '../../domain/mfa/factor-notices.js';
import type { FactorSelfService } from '../../domain/mfa/self-service.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { SessionRecord, Sessions } from '../../domain/ports/sessions.js';
import { deviceLabel } from '../../domain/sessions/device-label.js';
import type { RenderPage } from '../../lib/render-page.js';
import { sameSecret } from '../../lib/crypto/same-secret.js';
import type { SessionAccount } from '../../oidc/session-account.js';
import { sendPage } from '../views.js';

export interface AccountRouteDeps {
  sessionAccount(ctx: Context): Promise<SessionAccount | undefined>;
  selfService: FactorSelfService;
  sessions: Pick<Sessions, 'listForUser' | 'end'>;
  notices: { notify(userId: string, notice: FactorNotice): Promise<void> };
  store: EphemeralStore;
  render: RenderPage;
}

const SIGN_IN_FIRST =
  'You are not signed in to Gatehouse. Sign in through one of your applications, then open this page again.';
const STALE_FORM = 'This page has expired or was not opened by you. Open your security page again and retry.';
/** Long enough for a page left open a while; a stale form only asks for a reload. */
const CSRF_TTL_SECONDS = 2 * 60 * 60;
const TYPE_NAMES: Record<FactorView['type'], string> = {
  totp: 'Authenticator app',
  webauthn: 'Passkey or security key',
};

const when = (date: Date | null) =>
  date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never';

/** A session as its owner sees it: the device, where from and when; the newest first. */
const sessionRows = (records: SessionRecord[], current: string) =>
  [...records].reverse().map((record) => ({
    id: record.id,
    device: deviceLabel(record.userAgent),
    ip: record.ip ?? 'unknown address',
    started: when(record.createdAt),
    lastSeen: when(record.lastSeenAt),
    current: record.id === current,
  }));

/**
 * The signed-in user's own security page: their sessions (end one, here or on another device),
 * their second factors (remove one) and new recovery codes. The user is whoever Gatehouse's session cookie says. Forms carry a CSRF token kept in the
 * shared store under the session's uid (store-bound, not double-submit): a page of another origin
 * can neither read it nor plant one, and it dies with the session's store entry.
 */
export function accountRoutes(deps: AccountRouteDeps): Router {
  const router = new Router({ prefix: '/account/security' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '4kb' });
  const csrfKey = (session: SessionAccount) => `account:csrf:${session.sessionUid}`;

  /** One token per session, reused across tabs, so a second open page does not break the first. */
  async function csrfToken(session: SessionAccount): Promise<string> {
    const existing = await deps.store.get(csrfKey(session));
    if (existing) return existing;
    const token = randomBytes(32).toString('base64url');
    await deps.store.put(csrfKey(session), token, CSRF_TTL_SECONDS);
    return token;
  }

  async function csrfMatches(ctx: Context, session: SessionAccount): Promise<boolean> {
    const sent = (ctx.request.body as Record<string, unknown> | undefined)?.['csrf'];
    const expected = await deps.store.get(csrfKey(session));
    return typeof sent === 'string' && expected !== undefined && sameSecret(sent, expected);
  }

  async function securityPage(
    ctx: Context,
    session: SessionAccount,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const { factors, recoveryCodesRemaining } = await deps.selfService.list(session.accountId);
    sendPage(
      ctx,
      deps.render,
      'account-security',
      {
        csrf: await csrfToken(session),
        recoveryCodesRemaining,
        sessions: sessionRows(await deps.sessions.listForUser(session.accountId), session.sessionUid),
        factors: factors.map((factor) => ({
          id: factor.id,
          type: TYPE_NAMES[factor.type],
          label: factor.label,
          added: when(factor.createdAt),
          lastUsed: when(factor.lastUsedAt),
        })),
        ...extra,
      },
      status,
    );
  }

  /** The session's account, or undefined after answering 401 (no session) or 403 (bad token). */
  async function signedIn(ctx: Context, checkCsrf: boolean): Promise<SessionAccount | undefined> {
    const session = await deps.sessionAccount(ctx);
    if (!session) {
      sendPage(ctx, deps.render, 'error', { title: 'Sign in first', description: SIGN_IN_FIRST }, 401);
      return undefined;
    }
    if (checkCsrf && !(await csrfMatches(ctx, session))) {
      ctx.state.log?.warn({ event: 'account.csrf_refused', userId: session.accountId }, 'CSRF token refused');
      sendPage(ctx, deps.render, 'error', { title: 'Page expired', description: STALE_FORM }, 403);
      return undefined;
    }
    return session;
  }

  router.get('/', async (ctx) => {
    const session = await signedIn(ctx, false);
    if (session) await securityPage(ctx, session);
  });

  router.post('/factors/:id/remove', form, async (ctx) => {
    const session = await signedIn(ctx, true);
    if (!session) return;
    try {
      const removed = await deps.selfService.remove(session.accountId, ctx.params['id'] ?? '');
      const notice: FactorNotice = removed.type === 'totp' ? 'totp_removed' : 'webauthn_removed';
      // Best effort: the factor is gone either way; a failed notice is logged, not shown.
      await deps.notices.notify(session.accountId, notice).catch((error: unknown) => {
        ctx.state.log?.warn({ event: 'mail.failed', notice, err: error }, 'security notice not sent');
      });
      ctx.state.log?.info({ event: 'mfa.factor_removed', userId: session.accountId }, 'factor removed');
      ctx.status = 303;
      ctx.redirect('/account/security');
    } catch (error) {
      if (error instanceof NotFoundError)
        ctx.throw(404, 'That sign-in method does not exist on your account.');
      if (!(error instanceof ForbiddenError)) throw error;
      await securityPage(ctx, session, { error: error.message }, 403);
    }
  });

  // The user ends one of their own sessions (on this device or another): audited as theirs.
  router.post('/sessions/:id/end', form, async (ctx) => {
    const session = await signedIn(ctx, true);
    if (!session) return;
    const id = ctx.params['id'] ?? '';
    const own = (await deps.sessions.listForUser(session.accountId)).some((record) => record.id === id);
    if (!own) ctx.throw(404, 'That session does not exist or has already ended.');
    await deps.sessions.end(id, 'revoked', { type: 'user', id: session.accountId });
    ctx.state.log?.info({ event: 'session.revoked_by_user', userId: session.accountId }, 'session ended');
    ctx.status = 303;
    ctx.redirect('/account/security');
  });

  router.post('/recovery-codes', form, async (ctx) => {
    const session = await signedIn(ctx, true);
    if (!session) return;
    const codes = await deps.selfService.regenerateRecoveryCodes(session.accountId);
    await securityPage(ctx, session, { codes });
  });

  return router;
}
