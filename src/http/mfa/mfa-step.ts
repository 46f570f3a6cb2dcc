import type { Context } from 'koa';
import type { EmailCodes } from '../../domain/mfa/email-codes.js';
import type { FactorNotice } from '../../domain/mfa/factor-notices.js';
import type { EnrolledFactors } from '../../domain/mfa/enrolled-factors.js';
import {
  askedLevel,
  upstreamReached,
  type SignInMfaRequirement,
} from '../../domain/mfa/sign-in-requirement.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { InteractionView, Interactions } from '../../oidc/interactions.js';
import { sendPage } from '../views.js';
import { userAccount } from '../../domain/accounts/sign-in-throttle.js';
import type { SignInAttempts } from '../sign-in-attempts.js';
import { createPendingSignIns, type FirstFactor, type Pending } from './pending-sign-in.js';

export type { FirstFactor } from './pending-sign-in.js';

export interface MfaStepDeps {
  interactions: Interactions;
  store: EphemeralStore;
  render: RenderPage;
  requirement(userId: string, organizationId: string | null | undefined): Promise<SignInMfaRequirement>;
  totp: {
    beginEnrolment(
      userId: string,
      accountName: string,
    ): Promise<{ factorId: string; secret: string; otpauthUrl: string }>;
    confirmEnrolment(userId: string, factorId: string, code: string): Promise<boolean>;
    verify(userId: string, code: string): Promise<boolean>;
  };
  /** Whether the user has confirmed a TOTP app and a security key. */
  enrolled(userId: string): Promise<EnrolledFactors>;
  recoveryCodes: {
    generate(userId: string): Promise<string[]>;
    redeem(userId: string, code: string): Promise<boolean>;
  };
  emailCodes: Pick<EmailCodes, 'available' | 'send' | 'verify'>;
  notices: { notify(userId: string, notice: FactorNotice): Promise<void> };
  /** The otpauth:// URL as a QR code image (a data: URL). */
  qrCode(text: string): Promise<string>;
  /** Backoff on wrong codes per account and address; lockouts audited and notified. */
  attempts: SignInAttempts;
}

const WRONG_CODE = 'That code is not right, or was already used. Try the next code your app shows.';
const UNMET_PHR =
  'the application asked for phishing-resistant sign-in (acr_values=phr), which needs a passkey, and the organization does not allow passkeys';
const EXPIRED = 'This sign-in has expired. Start again from the application.';
const EMAIL_SENT = 'We emailed you a 6-digit code. It works once, for 10 minutes.';
const EMAIL_TOO_MANY = 'We sent several codes already. Use the latest, or wait 15 minutes for another.';
const EMAIL_UNAVAILABLE = 'Codes by email are not available for this account.';
/** RFC 8176 has no value for a code sent by email: `otp` (a one-time code) and `mfa`, like TOTP. */
const EMAIL_AMR = ['otp', 'mfa'];

/**
 * The second step of a sign-in (NIST SP 800-63B AAL2): after a password or an upstream IdP, the
 * organization's policy (or an application asking acr_values=urn:gatehouse:mfa) may ask for a
 * TOTP code, a passkey (webauthn-step.ts) or a recovery code, and enrol one first when the user
 * has none. The
 * first factor waits in the store under the interaction, which the browser's interaction cookie
 * binds to this browser.
 */
export function createMfaStep(deps: MfaStepDeps) {
  const page = (ctx: Context, view: string, data: Record<string, unknown>, status = 200) =>
    sendPage(ctx, deps.render, view, data, status);
  const { save, load, finish } = createPendingSignIns(deps);
  /**
   * The set-up page: an authenticator app and/or a passkey, as the policy allows. TOTP stays on
   * offer when the policy names neither (only email codes, for a user without a verified
   * address): a required second factor must always have a way to be set up.
   */
  const enrol = async (ctx: Context, uid: string, pending: Pending, error?: string) => {
    const factors = pending.factors ?? ['totp', 'webauthn'];
    const webauthn = factors.includes('webauthn');
    if (!factors.includes('totp') && webauthn) {
      await save(uid, { ...pending, enrolment: { confirmed: false } });
      return page(ctx, 'mfa-enrol', { uid, webauthn, error }, error ? 401 : 200);
    }
    const started = await deps.totp.beginEnrolment(pending.userId, pending.email);
    await save(uid, { ...pending, enrolment: { factorId: started.factorId, confirmed: false } });
    const totp = { secret: started.secret, qr: await deps.qrCode(started.otpauthUrl) };
    page(ctx, 'mfa-enrol', { uid, totp, webauthn, error }, error ? 401 : 200);
  };

  /**
   * The challenge page: a passkey button when the user has one the policy allows, "Email me a
   * code" when the policy allows email codes and the address is verified; the code form always
   * (recovery codes).
   */
  const challengeOf = async (uid: string, pending: Pending) => {
    const factors = pending.factors ?? ['totp', 'webauthn', 'email'];
    const [{ totp: hasTotp, webauthn: hasKey }, hasEmail] = await Promise.all([
      deps.enrolled(pending.userId),
      factors.includes('email') ? deps.emailCodes.available(pending.userId) : false,
    ]);
    return {
      uid,
      webauthn: hasKey && factors.includes('webauthn'),
      codes: hasTotp && factors.includes('totp'),
      email: hasEmail,
      recovery: pending.level !== 'phishing_resistant',
    };
  };
  /** The amr of the factor the code belongs to, if it is right: an app's, an emailed, or a recovery code. */
  const verifiedAmr = async (
    pending: Pending,
    challenge: { email: boolean },
    code: string,
  ): Promise<string[] | undefined> => {
    const totpAllowed = (pending.factors ?? ['totp']).includes('totp');
    if (totpAllowed && /^\d{6}$/.test(code) && (await deps.totp.verify(pending.userId, code))) {
      return ['otp', 'mfa'];
    }
    if (challenge.email && (await deps.emailCodes.verify(pending.userId, code))) return EMAIL_AMR;
    // A recovery code is typed like any code, so it resists phishing no better than one.
    if (pending.level === 'phishing_resistant') return undefined;
    if (!/^\d{6}$/.test(code) && (await deps.recoveryCodes.redeem(pending.userId, code))) return ['mfa'];
    return undefined;
  };
  /** Best effort: a notice that cannot be sent must not fail the sign-in it reports on. */
  const notify = (ctx: Context, userId: string, notice: FactorNotice) =>
    deps.notices.notify(userId, notice).catch((error: unknown) => {
      ctx.state.log?.warn({ event: 'mail.failed', userId, notice, err: error }, 'security notice not sent');
    });

  return {
    /** After a first factor: finish the sign-in, or ask for (or set up) the second. */
    async afterFirstFactor(ctx: Context, view: InteractionView, first: FirstFactor): Promise<void> {
      const level = askedLevel(view.acrValues);
      const organizationId = first.organization === undefined ? undefined : first.organization.id;
      const policy = await deps.requirement(first.userId, organizationId);
      // A risky sign-in owes a second factor as if the policy required one (enrolment included).
      const requirement = first.riskStepUp ? { ...policy, required: true } : policy;
      const upstreamCounts =
        first.method.connectionId !== undefined &&
        requirement.trustUpstream &&
        upstreamReached(first.method.amr, level);
      const { totp: hasTotp, webauthn: hasKey } = await deps.enrolled(first.userId);
      const allowed = requirement.factors.filter((kind) => !first.usedFactors?.includes(kind));
      // Phishing resistance asked for: only a passkey will do, so the policy must allow them.
      const phishingResistant = level === 'phishing_resistant';
      if (phishingResistant && !allowed.includes('webauthn') && !upstreamCounts) {
        // OpenID Connect Core Unmet Authentication Requirements 1.0: say so rather than hand back
        // a lower level the application would only send here again.
        await deps.interactions.abort(ctx.req, ctx.res, UNMET_PHR, 'unmet_authentication_requirements');
        ctx.respond = false;
        return;
      }
      const factors = phishingResistant ? ['webauthn' as const] : allowed;
      // Only the factors the policy allows count: an organization that asks for passkeys does not
      // take an authenticator app the user set up elsewhere.
      const usable = (hasTotp && factors.includes('totp')) || (hasKey && factors.includes('webauthn'));
      // A user who set up a factor is always asked for it: it protects them even where policy does not.
      if (upstreamCounts || (!requirement.required && !level && !usable)) {
        return finish(ctx, view.uid, { ...first, level }, undefined, upstreamCounts);
      }
      const pending: Pending = { ...first, factors, level };
      await save(view.uid, pending);
      // Email needs no enrolment (the verified address is the factor), but where the policy also
      // allows an app or a passkey, the user sets one up: those resist phishing better.
      const emailOnly = !factors.some((kind) => kind === 'totp' || kind === 'webauthn');
      const challenge = await challengeOf(view.uid, pending);
      if (usable || (emailOnly && challenge.email)) page(ctx, 'mfa-challenge', challenge);
      else await enrol(ctx, view.uid, pending);
    },

    async submitCode(ctx: Context, code: string): Promise<void> {
      const { view, pending } = await load(ctx);
      if (!pending || pending.enrolment)
        return page(ctx, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      const challenge = await challengeOf(view.uid, pending);
      // NIST SP 800-63B §5.2.2: counted per account, whichever browsers and sign-ins the codes
      // come from (the route also limits each sign-in and address per minute).
      const attempt = {
        account: userAccount(pending.userId),
        owner: async () => pending.userId,
        kind: 'second_factor' as const,
      };
      const waiting = await deps.attempts.refusal(ctx, attempt);
      if (waiting) return page(ctx, 'mfa-challenge', { ...challenge, error: waiting }, 429);
      const amr = await verifiedAmr(pending, challenge, code.trim());
      if (amr) {
        await deps.attempts.succeeded(attempt);
        return finish(ctx, view.uid, pending, amr);
      }
      ctx.state.log?.info({ event: 'mfa.failed', userId: pending.userId }, 'second factor refused');
      const wait = await deps.attempts.failed(ctx, attempt);
      page(ctx, 'mfa-challenge', { ...challenge, error: wait ? `${WRONG_CODE} ${wait}` : WRONG_CODE }, 401);
    },

    /** "Email me a code": sends one, then the same code form takes it. */
    async sendEmailCode(ctx: Context): Promise<void> {
      const { view, pending } = await load(ctx);
      if (!pending || pending.enrolment)
        return page(ctx, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      const challenge = await challengeOf(view.uid, pending);
      const sent = challenge.email ? await deps.emailCodes.send(pending.userId) : 'unavailable';
      if (sent === 'sent') {
        ctx.state.log?.info({ event: 'mfa.email_sent', userId: pending.userId }, 'email code sent');
        return page(ctx, 'mfa-challenge', { ...challenge, notice: EMAIL_SENT });
      }
      const error = sent === 'too_many' ? EMAIL_TOO_MANY : EMAIL_UNAVAILABLE;
      page(ctx, 'mfa-challenge', { ...challenge, error }, sent === 'too_many' ? 429 : 400);
    },

    async submitEnrolment(ctx: Context, code: string): Promise<void> {
      const { view, pending } = await load(ctx);
      const factorId = pending?.enrolment?.confirmed === false ? pending.enrolment.factorId : undefined;
      if (!pending || factorId === undefined) {
        return page(ctx, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      }
      if (!(await deps.totp.confirmEnrolment(pending.userId, factorId, code.trim()))) {
        // A fresh secret: the one on the page may have been seen over a shoulder while retyping.
        const { enrolment: _failed, ...first } = pending;
        return enrol(
          ctx,
          view.uid,
          first,
          `${WRONG_CODE} Scan this new code: the earlier one no longer works.`,
        );
      }
      ctx.state.log?.info(
        { event: 'mfa.enrolled', userId: pending.userId, factor: 'totp' },
        'TOTP factor set up',
      );
      await notify(ctx, pending.userId, 'totp_added');
      const enrolment = { factorId, confirmed: true, amr: ['otp', 'mfa'] };
      await save(view.uid, { ...pending, enrolment });
      page(ctx, 'mfa-recovery-codes', {
        uid: view.uid,
        codes: await deps.recoveryCodes.generate(pending.userId),
      });
    },

    /**
     * The recovery codes after a passkey was set up (the browser's script comes here). Each view
     * makes a new set, replacing the last: the codes on screen are always the ones that work.
     */
    async recoveryCodes(ctx: Context): Promise<void> {
      const { view, pending } = await load(ctx);
      if (!pending?.enrolment?.confirmed) {
        return page(ctx, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      }
      const codes = await deps.recoveryCodes.generate(pending.userId);
      page(ctx, 'mfa-recovery-codes', { uid: view.uid, codes });
    },

    /** After the recovery codes were shown: the enrolment's code or passkey was the second factor. */
    async enrolmentDone(ctx: Context): Promise<void> {
      const { view, pending } = await load(ctx);
      if (!pending?.enrolment?.confirmed) {
        return page(ctx, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      }
      await finish(ctx, view.uid, pending, pending.enrolment.amr ?? ['otp', 'mfa']);
    },
  };
}
export type MfaStep = ReturnType<typeof createMfaStep>;
