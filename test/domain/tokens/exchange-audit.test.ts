import { describe, expect, it } from '@jest/globals';
import type { AuditEntry } from '../../../src/domain/ports/tenancy.js';
import { createExchangeAudit, type ExchangeRecord } from '../../../src/domain/tokens/exchange-audit.js';

/** An audit log that keeps what it is given, each way apart; appendLater fails when told to. */
function recordingAudit(failLater?: Error) {
  const now: AuditEntry[][] = [];
  const later: AuditEntry[] = [];
  return {
    now,
    later,
    audit: {
      appendMany: async (entries: readonly AuditEntry[]) => void now.push([...entries]),
      appendLater: async (entry: AuditEntry) => {
        if (failLater) throw failLater;
        later.push(entry);
      },
    },
  };
}

const exchange: ExchangeRecord = {
  clientId: 'orders',
  userId: 'usr_1',
  organizationId: 'org_1',
  subjectClientId: 'web',
  audience: 'https://api.example',
  scopes: ['invoices:read'],
  permissions: ['read'],
  expiresAt: new Date('2026-12-01T00:10:00Z'),
};

describe('exchange audit', () => {
  it('sends an exchange record with the next audit round, without the token', async () => {
    const { audit, now, later } = recordingAudit();
    await createExchangeAudit(audit, () => {})(exchange);
    expect(now).toEqual([]);
    expect(later).toEqual([
      {
        organizationId: 'org_1',
        actor: { type: 'client', id: 'orders' },
        action: 'token.exchange',
        targetType: 'user',
        targetId: 'usr_1',
        before: null,
        after: {
          client_id: 'orders',
          sub: 'usr_1',
          subject_client_id: 'web',
          aud: 'https://api.example',
          scope: ['invoices:read'],
          permissions: ['read'],
          expires_at: '2026-12-01T00:10:00.000Z',
        },
      },
    ]);
  });

  it("writes an impersonation's records, both in one statement, before the token is handed out", async () => {
    const { audit, now, later } = recordingAudit();
    await createExchangeAudit(audit, () => {})({ ...exchange, impersonationId: 'imp_1' });
    expect(later).toEqual([]);
    expect(now.map((entries) => entries.map((entry) => [entry.action, entry.targetId]))).toEqual([
      [
        ['token.exchange', 'usr_1'],
        ['impersonation.token_issued', 'imp_1'],
      ],
    ]);
  });

  it('reports a record it failed to write later, without failing the exchange', async () => {
    const failure = new Error('database gone');
    const { audit } = recordingAudit(failure);
    const reported: unknown[] = [];
    await expect(
      createExchangeAudit(audit, (error) => reported.push(error))(exchange),
    ).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([failure]);
  });
});
