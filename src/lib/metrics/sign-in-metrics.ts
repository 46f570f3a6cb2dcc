import type { SignInAudit, SignInFailureReason, SignInSucceeded } from '../../domain/audit/sign-in-audit.js';
import type { LockedAttempt } from '../../domain/mfa/factor-audit.js';
import type { Metrics, SignInMethod, SignInOutcome } from '../../domain/ports/metrics.js';

const FAILURES: Record<SignInFailureReason, readonly [SignInMethod, SignInOutcome]> = {
  invalid_credentials: ['password', 'failure'],
  invalid_second_factor: ['mfa', 'failure'],
  invalid_sign_in_code: ['magic_auth', 'failure'],
  upstream_rejected: ['sso', 'failure'],
  provisioning_refused: ['sso', 'refused'],
  pending_approval: ['sso', 'pending_approval'],
};

const ATTEMPTS: Record<LockedAttempt, SignInMethod> = {
  password: 'password',
  second_factor: 'mfa',
  sign_in_code: 'magic_auth',
};

/** The first factor of a finished sign-in, from its connection and RFC 8176 methods. */
export function firstFactorOf(event: Pick<SignInSucceeded, 'amr' | 'connectionId'>): SignInMethod {
  if (event.connectionId) return 'sso';
  if (event.amr.includes('pwd')) return 'password';
  // Magic Auth proves the emailed one-time code (http/routes/magic-auth.ts).
  if (event.amr.includes('otp')) return 'magic_auth';
  return 'other';
}

/**
 * Counts each sign-in outcome where it is already recorded: every success, refusal and wrong
 * password or code goes through the sign-in audit, so wrapping it covers password, Magic Auth,
 * SSO and second factors in one place. A sign-in that ended with several factors (`mfa` in its
 * amr) also counts as a second-factor success.
 */
export function withSignInMetrics(audit: SignInAudit, metrics: Pick<Metrics, 'signIn'>): SignInAudit {
  return {
    ...audit,
    succeeded(event) {
      metrics.signIn(firstFactorOf(event), 'success');
      if (event.amr.includes('mfa')) metrics.signIn('mfa', 'success');
      return audit.succeeded(event);
    },
    failed(event) {
      metrics.signIn(...FAILURES[event.reason]);
      return audit.failed(event);
    },
    attemptFailed(attempt) {
      metrics.signIn(ATTEMPTS[attempt.kind], 'failure');
      return audit.attemptFailed(attempt);
    },
  };
}
