import { describe, expect, it } from '@jest/globals';
import {
  durationSeconds,
  effectiveImpersonationPolicy,
  impersonationPolicySchema,
} from '../../../src/domain/impersonation/impersonation-policy.js';
import { impersonationRequestSchema } from '../../../src/domain/impersonation/impersonation-input.js';

describe('impersonation policy', () => {
  it('is off, approved by an organization admin and an hour long unless the organization says more', () => {
    expect(effectiveImpersonationPolicy(undefined)).toEqual({
      allowed: false,
      approval: 'org_admin',
      maxSeconds: 3600,
    });
    expect(effectiveImpersonationPolicy({ allowed: true, approval: 'none', max_duration: '15m' })).toEqual({
      allowed: true,
      approval: 'none',
      maxSeconds: 900,
    });
  });

  it('reads durations in seconds, minutes and hours, and nothing longer than an hour', () => {
    expect([durationSeconds('900s'), durationSeconds('30m'), durationSeconds('1h')]).toEqual([
      900, 1800, 3600,
    ]);
    expect([durationSeconds('0m'), durationSeconds('1d'), durationSeconds('30 m')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(impersonationPolicySchema.safeParse({ max_duration: '61m' }).success).toBe(false);
    expect(impersonationPolicySchema.safeParse({ approval: 'anyone' }).success).toBe(false);
    expect(impersonationPolicySchema.safeParse({ allowed: true, extra: 1 }).success).toBe(false);
  });

  it('takes a request for read-only access or for named permissions, never wildcards', () => {
    const request = { user: 'usr_1', reason: 'Ticket 1', duration: '30m' };
    expect(impersonationRequestSchema.safeParse({ ...request, scope: 'read_only' }).success).toBe(true);
    expect(
      impersonationRequestSchema.safeParse({ ...request, scope: { permissions: ['claims:read'] } }).success,
    ).toBe(true);
    for (const scope of ['all', { permissions: [] }, { permissions: ['*'] }, { permissions: ['claims:*'] }]) {
      expect(impersonationRequestSchema.safeParse({ ...request, scope }).success).toBe(false);
    }
    expect(
      impersonationRequestSchema.safeParse({ ...request, scope: 'read_only', reason: '  ' }).success,
    ).toBe(false);
  });
});
