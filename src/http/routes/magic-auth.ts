import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { EmailCodes } from '../../domain/mfa/email-codes.js';
import type { MfaFactorKind } from '../../domain/mfa/mfa-policy.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { Interactions } from '../../oidc/interactions.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { emailAccount } from '../../domain/accounts/sign-in-throttle.js';
import type { SignInAttempts } from '../sign-in-attempts.js';
import { sendPage } from '../views.js';
import type { CompleteFirstFactor } from './first-factor.js';

export interface MagicAuthDeps {
  interactions: Interactions;
  store: EphemeralStore;
  render: RenderPage;
  /** First-factor email codes (their own store keys: a second-factor code does not work here). */
  codes: Pick<EmailCodes, 'send' | 'verify'>;
  users: { findByEmail(email: string): Promise<UserRecord | undefined> };
  /** Whether the organization that verified the email's domain has `magic_auth` on. */
  allowed(email: string): Promise<boolean>;
  /** The domain's SSO requirement wins over Magic Auth, as it does over passwords. */
  localPasswordRefusal(email: string): Promise<string | undefined>;
  completeFirstFactor: CompleteFirstFactor;
  attemptsPerMinute: number;
  /** Backoff on wrong codes, shared with the password's: both guess at the same account. */
  attempts: SignInAttempts;
}

/**
 * RFC 8176 has no value for a code sent by email; `otp` (a one-time code) is the nearest. Without
 * `mfa`: the code is the first factor, not a second.
 */
export const MAGIC_AUTH_AMR = ['otp'];

/**
 * The factors a session's first factor already was, for step-up: `["otp"]` alone is only ever
 * Magic Auth (a second factor adds `mfa`, a password `pwd`), so email cannot be its second factor.
 */
export const factorsUsedBy = (amr: readonly string[]): MfaFactorKind[] | undefined =>
  amr.length === 1 && amr[0] === MAGIC_AUTH_AMR[0] ? ['email'] : undefined;

const PENDING_SECONDS = 10 * 60;
const pendingKey = (uid: string) => `magic:sign-in:${uid}`;

// One message whether or not the address has an account that can receive codes: no enumeration.
const SENT = 'If this address can sign in with a code, we emailed one. It works once, for 10 minutes.';
const WRONG_CODE =
  'That code is not right, or was already used. Check the latest email, or ask for a new code.';
const NOT_OFFERED = 'Sign-in codes are not available for this address. Enter your password.';
const EXPIRED = 'This sign-in has expired. Start again from the application.';
const TOO_MANY = 'Too many sign-in attempts. Wait a minute, then try again.';

/**
 * Magic Auth: where the email's organization allows it, the password page offers "Email me a
 * sign-in code"; the right code is the first factor, followed by the password's path (organization,
 * then the second factor policy asks for, never email again).
 */
export function magicAuthRoutes(deps: MagicAuthDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/magic' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const page = (ctx: Context, view: string, data: Record<string, unknown>, status = 200) =>
    sendPage(ctx, deps.render, view, data, status);
  const field = (ctx: Context, name: string) => {
    const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  const limit = (name: string, key: (ctx: Context) => string) =>
    rateLimit(deps.store, {
      name,
      perMinute: deps.attemptsPerMinute,
      key,
      reject: (ctx) => page(ctx, 'error', { title: 'Too many attempts', description: TOO_MANY }, 429),
    });
  const fail = (ctx: Context, status: number, description: string) =>
    page(ctx, 'error', { title: 'Sign-in code refused', description }, status);
  /** The policy is read again at each step: an administrator may have turned it off meanwhile. */
  const refusal = async (email: string) =>
    (await deps.localPasswordRefusal(email)) ?? ((await deps.allowed(email)) ? undefined : NOT_OFFERED);

  router.post(
    '/send',
    form,
    limit('magic_send', (ctx) => `${ctx.ip}:${normalizeEmail(field(ctx, 'email'))}`),
    async (ctx) => {
      const view = await deps.interactions.load(ctx.req, ctx.res);
      const email = normalizeEmail(field(ctx, 'email').trim());
      if (view.prompt !== 'login' || !looksLikeEmail(email)) return fail(ctx, 400, EXPIRED);
      const sso = await deps.localPasswordRefusal(email);
      if (sso) return fail(ctx, 403, sso);
      if (!(await deps.allowed(email))) {
        return page(ctx, 'login-password', { uid: view.uid, email, error: NOT_OFFERED }, 403);
      }
      const user = await deps.users.findByEmail(email);
      // Not awaited: the mail's delivery time must not tell apart addresses with an account.
      if (user) {
        void deps.codes.send(user.id).then(
          (sent) =>
            ctx.state.log?.info(
              { event: 'magic_auth.code', userId: user.id, sent },
              'sign-in code requested',
            ),
          (error: unknown) =>
            ctx.state.log?.warn(
              { event: 'mail.failed', userId: user.id, err: error },
              'sign-in code not sent',
            ),
        );
      }
      await deps.store.put(pendingKey(view.uid), JSON.stringify({ email }), PENDING_SECONDS);
      page(ctx, 'login-magic-code', { uid: view.uid, email, notice: SENT });
    },
  );

  router.post(
    '/verify',
    form,
    limit('magic_verify', (ctx) => `${ctx.ip}:${String(ctx.params.uid)}`),
    async (ctx) => {
      const view = await deps.interactions.load(ctx.req, ctx.res);
      // The interaction cookie binds the uid to this browser; the email was fixed when the code was sent.
      const raw = ctx.params.uid === view.uid ? await deps.store.get(pendingKey(view.uid)) : undefined;
      if (view.prompt !== 'login' || raw === undefined) return fail(ctx, 400, EXPIRED);
      const { email } = JSON.parse(raw) as { email: string };
      const refused = await refusal(email);
      if (refused) return fail(ctx, 403, refused);
      const attempt = {
        account: emailAccount(email),
        owner: async () => (await deps.users.findByEmail(email))?.id,
        kind: 'sign_in_code' as const,
      };
      const waiting = await deps.attempts.refusal(ctx, attempt);
      if (waiting) return page(ctx, 'login-magic-code', { uid: view.uid, email, error: waiting }, 429);
      const user = await deps.users.findByEmail(email);
      if (!user || !(await deps.codes.verify(user.id, field(ctx, 'code').trim()))) {
        ctx.state.log?.info({ event: 'magic_auth.failed' }, 'sign-in code refused');
        const wait = await deps.attempts.failed(ctx, attempt);
        const error = wait ? `${WRONG_CODE} ${wait}` : WRONG_CODE;
        return page(ctx, 'login-magic-code', { uid: view.uid, email, error }, 401);
      }
      await deps.attempts.succeeded(attempt);
      await deps.store.delete(pendingKey(view.uid));
      ctx.state.log?.info(
        { event: 'login.succeeded', userId: user.id, method: 'magic_auth' },
        'sign-in code accepted',
      );
      await deps.completeFirstFactor(ctx, view, user, { amr: MAGIC_AUTH_AMR }, ['email']);
    },
  );

  return router;
}
