import { describe, expect, it } from '@jest/globals';
import type { SignInAudit } from '../../../src/domain/audit/sign-in-audit.js';
import type { SignInMethod, SignInOutcome } from '../../../src/domain/ports/metrics.js';
import { firstFactorOf, withSignInMetrics } from '../../../src/lib/metrics/sign-in-metrics.js';

function recorded() {
  const calls: string[] = [];
  const audited: string[] = [];
  const audit = {
    succeeded: async () => void audited.push('succeeded'),
    failed: async () => void audited.push('failed'),
    attemptFailed: async () => void audited.push('attemptFailed'),
    tokenIssued: async () => void audited.push('tokenIssued'),
  } as unknown as SignInAudit;
  const metrics = {
    signIn: (method: SignInMethod, outcome: SignInOutcome) => calls.push(`${method}:${outcome}`),
  };
  return { calls, audited, audit: withSignInMetrics(audit, metrics) };
}

describe('sign-in metrics', () => {
  it('names the first factor from the connection and the methods (RFC 8176)', () => {
    expect(firstFactorOf({ amr: ['pwd'], connectionId: null })).toBe('password');
    expect(firstFactorOf({ amr: ['pwd', 'otp', 'mfa'] })).toBe('password');
    expect(firstFactorOf({ amr: ['otp'] })).toBe('magic_auth');
    expect(firstFactorOf({ amr: ['pwd'], connectionId: 'con_1' })).toBe('sso');
    expect(firstFactorOf({ amr: ['hwk', 'mfa'] })).toBe('other');
  });

  it('counts successes, with the second factor apart, and still writes the audit record', async () => {
    const { calls, audited, audit } = recorded();
    await audit.succeeded({ userId: 'usr_1', clientId: 'app', amr: ['pwd', 'otp', 'mfa'] });
    await audit.succeeded({ userId: 'usr_1', clientId: 'app', amr: ['fed'], connectionId: 'con_1' });
    expect(calls).toEqual(['password:success', 'mfa:success', 'sso:success']);
    expect(audited).toEqual(['succeeded', 'succeeded']);
  });

  it('counts each refusal by the method it concerns', async () => {
    const { calls, audited, audit } = recorded();
    await audit.failed({ reason: 'upstream_rejected', connectionId: 'con_1' });
    await audit.failed({ reason: 'provisioning_refused', connectionId: 'con_1' });
    await audit.failed({ reason: 'pending_approval', userId: 'usr_1' });
    await audit.attemptFailed({ kind: 'password', account: 'email:a@example.com' });
    await audit.attemptFailed({ kind: 'second_factor', account: 'user:usr_1' });
    await audit.attemptFailed({ kind: 'sign_in_code', account: 'email:a@example.com' });
    expect(calls).toEqual([
      'sso:failure',
      'sso:refused',
      'sso:pending_approval',
      'password:failure',
      'mfa:failure',
      'magic_auth:failure',
    ]);
    expect(audited).toEqual([
      'failed',
      'failed',
      'failed',
      'attemptFailed',
      'attemptFailed',
      'attemptFailed',
    ]);
  });

  it('leaves the rest of the audit as it was', async () => {
    const { calls, audited, audit } = recorded();
    await audit.tokenIssued({ clientId: 'app', grantType: 'client_credentials', tokens: ['access_token'] });
    expect(calls).toEqual([]);
    expect(audited).toEqual(['tokenIssued']);
  });
});
