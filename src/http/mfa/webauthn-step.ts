import type { Context } from 'koa';
import type { z } from 'zod';
import type { SignInFailed } from '../../domain/audit/sign-in-audit.js';
import type { FactorNotice } from '../../domain/mfa/factor-notices.js';
import type { Ceremony, WebAuthnFactors } from '../../domain/mfa/webauthn-factors.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { Interactions } from '../../oidc/interactions.js';
import { sendPage } from '../views.js';
import { authenticationBody, registrationBody } from './webauthn-body.js';
import { createPendingSignIns, type Pending } from './pending-sign-in.js';

export interface WebAuthnStepDeps {
  interactions: Interactions;
  store: EphemeralStore;
  render: RenderPage;
  webauthn: Pick<
    WebAuthnFactors,
    'registrationOptions' | 'verifyRegistration' | 'authenticationOptions' | 'verifyAuthentication'
  >;
  notices: { notify(userId: string, notice: FactorNotice): Promise<void> };
  /** The audit record of a refused sign-in (domain/audit/sign-in-audit.ts). */
  recordFailure?: (event: SignInFailed) => Promise<void>;
}

/**
 * RFC 8176 §2 for a WebAuthn assertion: `swk` when the credential is backed up (WebAuthn L2
 * §6.1.3 BS flag: a synced passkey, whose private key leaves the device), `hwk` when it is
 * device-bound (a security key, or a platform key kept in a TPM or secure enclave). The
 * authenticator data carries BS under the signature; `authenticatorAttachment` is unsigned
 * client data, so it only names the factor. Either way the key is a second factor: `mfa`.
 */
export const webauthnAmr = (backedUp: boolean): string[] => [backedUp ? 'swk' : 'hwk', 'mfa'];

const EXPIRED = 'This sign-in has expired. Start again from the application.';
const FAILED: Record<Exclude<Ceremony, { ok: true }>['reason'], string> = {
  expired: 'The request timed out. Try again.',
  unknown_credential: 'That passkey is not registered for this account. Try another, or use a code.',
  invalid: 'The passkey could not be checked. Try again, or use a code.',
  counter_regressed:
    'That passkey cannot be used. Use another, or a recovery code, and tell your administrator.',
  exists: 'That passkey is registered already.',
};

/**
 * The WebAuthn half of the second step, spoken as JSON to views/assets/webauthn.js: options for
 * `navigator.credentials.create()`/`get()`, then the result to verify. A verified ceremony is
 * recorded on the pending sign-in and the script navigates to the page that continues it, so
 * the sign-in finishes in an ordinary navigation (oidc-provider's redirects, cookies and all).
 */
export function createWebAuthnStep(deps: WebAuthnStepDeps) {
  const { save, load, finish } = createPendingSignIns(deps);
  const json = (ctx: Context, status: number, body: object) => {
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };
  const refuse = (ctx: Context, status: number, error: string, description: string) =>
    json(ctx, status, { error, error_description: description });
  const allowsKeys = (pending: Pending) => (pending.factors ?? ['webauthn']).includes('webauthn');
  const enrolling = (pending?: Pending): pending is Pending =>
    pending?.enrolment?.confirmed === false && allowsKeys(pending);
  const challenged = (pending?: Pending): pending is Pending =>
    pending !== undefined && pending.enrolment === undefined && allowsKeys(pending);
  const parse = <T>(ctx: Context, schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(ctx.request.body);
    if (parsed.success) return parsed.data;
    refuse(ctx, 400, 'invalid_request', 'The browser sent an answer we cannot read. Try again.');
    return undefined;
  };
  const failed = (ctx: Context, userId: string, result: Ceremony & { ok: false }) => {
    // §6.1.1: a counter that went backwards means a cloned authenticator: worth an operator's look.
    const level = result.reason === 'counter_regressed' ? 'warn' : 'info';
    ctx.state.log?.[level](
      { event: 'mfa.failed', factor: 'webauthn', userId, reason: result.reason },
      'WebAuthn ceremony refused',
    );
    refuse(ctx, result.reason === 'exists' ? 409 : 401, 'webauthn_failed', FAILED[result.reason]);
  };

  return {
    async registrationOptions(ctx: Context): Promise<void> {
      const { pending } = await load(ctx);
      if (!enrolling(pending)) return refuse(ctx, 400, 'expired', EXPIRED);
      json(ctx, 200, await deps.webauthn.registrationOptions({ id: pending.userId, email: pending.email }));
    },

    async register(ctx: Context): Promise<void> {
      const response = parse(ctx, registrationBody);
      if (!response) return;
      const { view, pending } = await load(ctx);
      if (!enrolling(pending)) return refuse(ctx, 400, 'expired', EXPIRED);
      const label = response.authenticatorAttachment === 'cross-platform' ? 'Security key' : 'Passkey';
      const result = await deps.webauthn.verifyRegistration(pending.userId, response, label);
      if (!result.ok) return failed(ctx, pending.userId, result);
      ctx.state.log?.info(
        { event: 'mfa.enrolled', userId: pending.userId, factor: 'webauthn', backedUp: result.backedUp },
        'WebAuthn factor set up',
      );
      // Best effort: the passkey is registered whether or not the notice goes out.
      await deps.notices.notify(pending.userId, 'webauthn_added').catch((error: unknown) => {
        ctx.state.log?.warn(
          { event: 'mail.failed', userId: pending.userId, err: error },
          'security notice not sent',
        );
      });
      const enrolment = { factorId: result.factorId, confirmed: true, amr: webauthnAmr(result.backedUp) };
      await save(view.uid, { ...pending, enrolment });
      json(ctx, 200, { redirect: `/interaction/${view.uid}/mfa/recovery-codes` });
    },

    async authenticationOptions(ctx: Context): Promise<void> {
      const { pending } = await load(ctx);
      if (!challenged(pending)) return refuse(ctx, 400, 'expired', EXPIRED);
      json(ctx, 200, await deps.webauthn.authenticationOptions(pending.userId));
    },

    async authenticate(ctx: Context): Promise<void> {
      const response = parse(ctx, authenticationBody);
      if (!response) return;
      const { view, pending } = await load(ctx);
      if (!challenged(pending)) return refuse(ctx, 400, 'expired', EXPIRED);
      const result = await deps.webauthn.verifyAuthentication(pending.userId, response);
      if (!result.ok) {
        // Best effort, like the other sign-in failures: the refusal stands whether or not it is recorded.
        await deps
          .recordFailure?.({
            reason: 'invalid_second_factor',
            detail: `webauthn_${result.reason}`,
            userId: pending.userId,
            ip: ctx.ip,
          })
          .catch((error: unknown) => ctx.state.log?.warn({ err: error }, 'sign-in failure not recorded'));
        return failed(ctx, pending.userId, result);
      }
      await save(view.uid, { ...pending, verified: webauthnAmr(result.backedUp) });
      json(ctx, 200, { redirect: `/interaction/${view.uid}/mfa/webauthn/complete` });
    },

    /** The navigation after a verified assertion: finishes the sign-in (once: finishing drops the pending entry). */
    async complete(ctx: Context): Promise<void> {
      const { view, pending } = await load(ctx);
      if (!pending?.verified) {
        return sendPage(ctx, deps.render, 'error', { title: 'Sign-in expired', description: EXPIRED }, 400);
      }
      await finish(ctx, view.uid, pending, pending.verified);
    },
  };
}
export type WebAuthnStep = ReturnType<typeof createWebAuthnStep>;
