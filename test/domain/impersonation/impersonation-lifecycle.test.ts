import { describe, expect, it } from '@jest/globals';
import { lapse } from '../../../src/domain/impersonation/impersonation-lifecycle.js';
import type { ImpersonationRecord } from '../../../src/domain/ports/impersonations.js';

const at = (minutes: number) => new Date(Date.UTC(2030, 0, 1, 12, minutes));

const record = (changes: Partial<ImpersonationRecord>): ImpersonationRecord => ({
  id: 'imp_1',
  organizationId: 'org_1',
  userId: 'usr_1',
  operator: { type: 'api_key', id: 'key_1', name: 'support' },
  reason: 'Ticket 1',
  readOnly: true,
  permissions: [],
  durationSeconds: 600,
  status: 'requested',
  approver: null,
  handleHash: 'hash',
  ticketHash: null,
  ticketExpiresAt: null,
  requestedAt: at(0),
  startBy: at(30),
  decidedAt: null,
  startedAt: null,
  endsAt: null,
  endedAt: null,
  endedBy: null,
  ...changes,
});

describe('what time does to an impersonation', () => {
  it('expires a request or an approval not started by its deadline, dated by the deadline', () => {
    for (const status of ['requested', 'approved'] as const) {
      expect(lapse(record({ status }), at(29))).toBeUndefined();
      expect(lapse(record({ status }), at(45))).toEqual({ status: 'expired', at: at(30) });
    }
  });

  it('ends an active one at its end, dated by its end', () => {
    const active = record({ status: 'active', startedAt: at(5), endsAt: at(15) });
    expect(lapse(active, at(14))).toBeUndefined();
    expect(lapse(active, at(15))).toEqual({ status: 'ended', at: at(15) });
  });

  it('leaves closed ones alone', () => {
    for (const status of ['denied', 'revoked', 'ended', 'expired'] as const) {
      expect(lapse(record({ status, endsAt: at(1) }), at(59))).toBeUndefined();
    }
  });
});
