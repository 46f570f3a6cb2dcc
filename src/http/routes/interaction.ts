import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { LocalAccounts } from '../../domain/accounts/local-accounts.js';
import type { SelectOrganization } from '../../domain/organizations/organization-selection.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { InteractionView, Interactions } from '../../oidc/interactions.js';
import type { MfaStep } from '../mfa/mfa-step.js';
import type { RiskGate } from '../risk/risk-gate.js';
import type { WebAuthnStep } from '../mfa/webauthn-step.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { emailAccount } from '../../domain/accounts/sign-in-throttle.js';
import type { SignInAttempts } from '../sign-in-attempts.js';
import { hasHints, hintsOf, type RealmStepper } from '../sso/realm-step.js';
import type { SsoCompletion } from '../sso/sso-completion.js';
import { sendPage } from '../views.js';
import { createFirstFactorCompletion } from './first-factor.js';
import { factorsUsedBy } from './magic-auth.js';
import { describeScope } from './scope-descriptions.js';

export interface InteractionRouteDeps {
  interactions: Interactions;
  accounts: LocalAccounts;
  store: EphemeralStore;
  render: RenderPage;
  loginAttemptsPerMinute: number;
  /** Backoff on wrong passwords, per account and per address. */
  attempts: SignInAttempts;
  selectOrganization: SelectOrganization;
  /** Why the email's organization refuses local passwords, if it does (domain policy). */
  localPasswordRefusal(email: string): Promise<string | undefined>;
  /** Whether the email's organization offers Magic Auth (magic-auth.ts) on the password page. */
  magicAuthAllowed(email: string): Promise<boolean>;
  /** Home realm discovery and the redirect to an organization's IdP. */
  realmStep: RealmStepper;
  /** The organization button the sign-in page shows, if the application names an organization with one. */
  organizationButton(
    view: InteractionView,
  ): Promise<{ id: string; label: string; logoUrl?: string } | undefined>;
  sso: SsoCompletion;
  /** Once an email is typed: its organization's branding for the rest of the sign-in (page-brand.ts). */
  brandRouted?(ctx: Context, uid: string, email: string): Promise<void>;
  /** The second factor (policy, step-up, enrolment). */
  mfa: MfaStep;
  /** Passkeys and security keys as the second factor (JSON for views/assets/webauthn.js). */
  webauthn: WebAuthnStep;
  /** Risk-based sign-in after the first factor (http/risk/risk-gate.ts). */
  assessRisk?: RiskGate;
  /** Why the organization's network rules (ip_allowlist, allowed_countries) refuse this address, if they do. */
  networkRefusal?(organizationId: string, ip: string): Promise<string | undefined>;
}

/** The login prompt came only because the application asked for a second factor (step-up). */
const onlyStepUp = (view: InteractionView) =>
  view.promptReasons.length > 0 && view.promptReasons.every((reason) => reason === 'mfa_step_up');

const TOO_MANY = 'Too many sign-in attempts for this account. Wait a minute, then try again.';
const WRONG_CREDENTIALS = 'That email and password do not match. Check both and try again.';

/**
 * The sign-in pages oidc-provider sends the browser to: email first, then the organization's
 * IdP (home realm discovery) or the password, then the organization (decided without a page
 * when there is nothing to choose), then consent for third-party apps. The same message answers
 * an unknown email and a wrong password so the pages cannot be used to find out who has an
 * account.
 */
export function interactionRoutes(deps: InteractionRouteDeps): Router {
  const { interactions, accounts, render } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const page = (ctx: Context, view: string, data: Record<string, unknown>, status = 200) =>
    sendPage(ctx, render, view, data, status);
  const field = (ctx: Context, name: string) => {
    const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  const loginKey = (ctx: Context) => `${ctx.ip}:${normalizeEmail(field(ctx, 'email'))}`;
  const log = (ctx: Context) => (fields: Record<string, unknown>, message: string) =>
    ctx.state.log?.info(fields, message);
  const emailPage = async (
    ctx: Context,
    view: InteractionView,
    email: string | null,
    error?: string,
    status = 200,
  ) => {
    const button = await deps.organizationButton(view);
    page(ctx, 'login-email', { uid: view.uid, clientName: view.clientName, email, error, button }, status);
  };
  const passwordPage = async (ctx: Context, uid: string, email: string, error?: string, status = 200) => {
    const magic = await deps.magicAuthAllowed(normalizeEmail(email));
    page(ctx, 'login-password', { uid, email, error, magic }, status);
  };
  const completeFirstFactor = createFirstFactorCompletion(deps);

  /** Finishes the organization step, with the picker page when the user has several. */
  const decideOrganization = async (
    ctx: Context,
    uid: string,
    user: UserRecord,
    requested: string | null,
    view?: InteractionView,
  ) => {
    // The address and the session's methods: a partner's trust rule may limit both (domain/federations).
    const signIn = { ip: ctx.ip, amr: view?.sessionAmr };
    const selection = await deps.selectOrganization(user, requested ?? undefined, signIn);
    if (selection.kind === 'pick') {
      page(ctx, 'organization-picker', { uid, choices: selection.choices });
      return;
    }
    if (selection.kind === 'denied' && selection.page) {
      page(ctx, 'error', { title: 'Sign-in refused', description: selection.description }, 403);
      return;
    }
    // An organization picked after the first factor still holds the sign-in to its network rules.
    const refusal =
      selection.kind === 'chosen' && selection.organizationId
        ? await deps.networkRefusal?.(selection.organizationId, ctx.ip)
        : undefined;
    if (selection.kind === 'chosen' && selection.stepUp && view && !refusal) {
      // The session has no second factor and the partner's rule asks for one: step up here.
      const first = { userId: user.id, email: user.email, method: { amr: view.sessionAmr } };
      const organization = { id: selection.organizationId };
      await deps.mfa.afterFirstFactor(ctx, view, { ...first, organization });
      return;
    }
    if (selection.kind === 'denied') await interactions.abort(ctx.req, ctx.res, selection.description);
    else if (refusal) await interactions.abort(ctx.req, ctx.res, refusal);
    else await interactions.finishOrganization(ctx.req, ctx.res, { id: selection.organizationId });
    ctx.respond = false;
  };
  const signedInUser = async (accountId: string | null) => {
    const user = accountId ? await accounts.findById(accountId) : undefined;
    if (!user)
      throw Object.assign(new Error('the signed-in user no longer exists'), { status: 400, expose: true });
    return user;
  };

  router.get('/', async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    if (view.prompt === 'login' && view.accountId && onlyStepUp(view)) {
      // The session's first factor stands; only the second is missing.
      const user = await signedInUser(view.accountId);
      const method = { amr: view.sessionAmr };
      const usedFactors = factorsUsedBy(view.sessionAmr);
      await deps.mfa.afterFirstFactor(ctx, view, { userId: user.id, email: user.email, method, usedFactors });
    } else if (view.prompt === 'login') {
      if (await deps.sso.resumeIdpInitiated(ctx, view)) return;
      // An application that names the organization, connection or user skips the email page.
      const hints = hintsOf(view);
      const step = hasHints(hints) ? await deps.realmStep(view, undefined, hints, log(ctx)) : undefined;
      if (step?.kind === 'upstream') ctx.redirect(step.url);
      else await emailPage(ctx, view, view.loginHint, step?.kind === 'refused' ? step.message : undefined);
    } else if (view.prompt === 'organization') {
      const user = await signedInUser(view.accountId);
      await decideOrganization(ctx, view.uid, user, view.requestedOrganization, view);
    } else if (view.prompt === 'consent' && view.firstParty) {
      await interactions.finishConsent(ctx.req, ctx.res);
      ctx.respond = false;
    } else if (view.prompt === 'consent') {
      page(ctx, 'consent', { ...view, scopes: view.missingScopes, describe: describeScope });
    } else {
      await interactions.abort(ctx.req, ctx.res, `unsupported prompt ${view.prompt}`);
      ctx.respond = false;
    }
  });

  router.post('/identify', form, async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    const email = field(ctx, 'email').trim();
    if (!looksLikeEmail(email)) {
      await emailPage(ctx, view, email, 'Enter a valid email address.', 400);
      return;
    }
    const step = await deps.realmStep(view, email, hintsOf(view), log(ctx));
    await deps.brandRouted?.(ctx, view.uid, email);
    if (step.kind === 'upstream') {
      ctx.redirect(step.url);
      return;
    }
    const refusal =
      step.kind === 'refused' ? step.message : await deps.localPasswordRefusal(normalizeEmail(email));
    if (refusal) {
      await emailPage(ctx, view, email, refusal, 403);
      return;
    }
    await passwordPage(ctx, view.uid, email);
  });

  // The organization button: its IdP without typing an email.
  router.post('/sso', form, async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    const organization = field(ctx, 'organization');
    const step = await deps.realmStep(view, undefined, { organization }, log(ctx));
    if (step.kind === 'upstream') ctx.redirect(step.url);
    else {
      const message = step.kind === 'refused' ? step.message : 'Enter your work email to sign in.';
      await emailPage(ctx, view, null, message, 403);
    }
  });

  router.get('/sso/complete', async (ctx) => {
    await deps.sso.complete(ctx, String(ctx.query.ticket ?? ''));
  });

  router.post(
    '/login',
    form,
    rateLimit(deps.store, {
      name: 'login',
      perMinute: deps.loginAttemptsPerMinute,
      key: loginKey,
      reject: (ctx) => page(ctx, 'error', { title: 'Too many attempts', description: TOO_MANY }, 429),
    }),
    async (ctx) => {
      const view = await interactions.load(ctx.req, ctx.res);
      const email = field(ctx, 'email');
      const refusal = await deps.localPasswordRefusal(normalizeEmail(email));
      if (refusal) {
        await emailPage(ctx, view, email, refusal, 403);
        return;
      }
      const attempt = {
        account: emailAccount(normalizeEmail(email)),
        owner: async () => (await accounts.findByEmail(email))?.id,
        kind: 'password' as const,
      };
      const waiting = await deps.attempts.refusal(ctx, attempt);
      if (waiting) return passwordPage(ctx, view.uid, email, waiting, 429);
      const user = await accounts.authenticate(email, field(ctx, 'password'));
      if (!user) {
        ctx.state.log?.info({ event: 'login.failed' }, 'local login failed');
        const wait = await deps.attempts.failed(ctx, attempt);
        await passwordPage(
          ctx,
          view.uid,
          email,
          wait ? `${WRONG_CREDENTIALS} ${wait}` : WRONG_CREDENTIALS,
          401,
        );
        return;
      }
      ctx.state.log?.info({ event: 'login.succeeded', userId: user.id }, 'local login succeeded');
      // The run of failures ends after the risk assessment has counted it (failed-velocity.ts).
      await completeFirstFactor(ctx, view, user, { amr: ['pwd'] });
      await deps.attempts.succeeded(attempt);
    },
  );

  const mfaLimit = rateLimit(deps.store, {
    name: 'mfa',
    perMinute: deps.loginAttemptsPerMinute,
    key: (ctx) => `${ctx.ip}:${String(ctx.params.uid)}`,
    reject: (ctx) => page(ctx, 'error', { title: 'Too many attempts', description: TOO_MANY }, 429),
  });
  router.post('/mfa', form, mfaLimit, (ctx) => deps.mfa.submitCode(ctx, field(ctx, 'code')));
  router.post('/mfa/email', form, mfaLimit, (ctx) => deps.mfa.sendEmailCode(ctx));
  router.post('/mfa/enrol', form, mfaLimit, (ctx) => deps.mfa.submitEnrolment(ctx, field(ctx, 'code')));
  router.post('/mfa/done', form, (ctx) => deps.mfa.enrolmentDone(ctx));
  router.get('/mfa/recovery-codes', (ctx) => deps.mfa.recoveryCodes(ctx));

  // A WebAuthn answer is a few hundred bytes (we ask for no attestation); JSON only, so a
  // cross-site form cannot post one (it cannot send application/json without CORS allowing it).
  const webauthnJson = bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' });
  const { webauthn } = deps;
  router.post('/mfa/webauthn/registration/options', mfaLimit, (ctx) => webauthn.registrationOptions(ctx));
  router.post('/mfa/webauthn/registration', webauthnJson, mfaLimit, (ctx) => webauthn.register(ctx));
  router.post('/mfa/webauthn/authentication/options', mfaLimit, (ctx) => webauthn.authenticationOptions(ctx));
  router.post('/mfa/webauthn/authentication', webauthnJson, mfaLimit, (ctx) => webauthn.authenticate(ctx));
  router.get('/mfa/webauthn/complete', (ctx) => webauthn.complete(ctx));

  router.post('/organization', form, async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    if (view.prompt !== 'organization') {
      throw Object.assign(new Error('this sign-in is not choosing an organization'), {
        status: 400,
        expose: true,
      });
    }
    // The choice is checked like a requested organization: a forged id gets the same refusal.
    const chosen = field(ctx, 'organization');
    await decideOrganization(
      ctx,
      view.uid,
      await signedInUser(view.accountId),
      chosen || view.requestedOrganization,
      view,
    );
  });

  router.post('/confirm', form, async (ctx) => {
    await interactions.finishConsent(ctx.req, ctx.res);
    ctx.respond = false;
  });

  router.get('/abort', async (ctx) => {
    await interactions.abort(ctx.req, ctx.res, 'the user cancelled the sign-in');
    ctx.respond = false;
  });

  return router;
}
