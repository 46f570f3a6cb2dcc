import { describe, expect, it } from '@jest/globals';
import { createMetadataRefreshScheduler } from '../../../src/federation/saml/metadata-refresh-scheduler.js';

const connection = (id: string) => ({
  id,
  type: 'saml',
  settings: { idp_metadata_url: `https://idp.example.test/${id}` },
  upstreamMetadata: null,
});

describe('IdP metadata refresh and connection health', () => {
  it('records each fetch and its error, then runs the round’s follow-up (the certificate warnings)', async () => {
    const recorded: Array<[string, string | undefined]> = [];
    const rounds: string[] = [];
    const scheduler = createMetadataRefreshScheduler({
      listConnections: async () => [connection('con_ok'), connection('con_down')],
      persist: async () => undefined,
      refresh: async ({ id }) => {
        if (id === 'con_down') throw new Error('metadata URL answered 503');
        return {};
      },
      logger: { info: () => undefined, warn: () => undefined },
      recordRefresh: async (id, error) => void recorded.push([id, error]),
      afterRound: async () => void rounds.push('warnings'),
    });
    expect(await scheduler.runOnce()).toEqual({ refreshed: 1, failed: 1 });
    expect(recorded).toEqual([
      ['con_ok', undefined],
      ['con_down', 'metadata URL answered 503'],
    ]);
    expect(rounds).toEqual(['warnings']);
  });

  it('keeps refreshing when recording fails, and logs a failed follow-up', async () => {
    const logged: string[] = [];
    const scheduler = createMetadataRefreshScheduler({
      listConnections: async () => [connection('con_a'), connection('con_b')],
      persist: async () => undefined,
      refresh: async () => ({}),
      logger: { info: () => undefined, warn: (_details, message) => void logged.push(message) },
      recordRefresh: async () => Promise.reject(new Error('database down')),
      afterRound: async () => Promise.reject(new Error('database down')),
    });
    expect(await scheduler.runOnce()).toEqual({ refreshed: 2, failed: 0 });
    expect(logged).toEqual([
      'SAML metadata refresh not recorded',
      'SAML metadata refresh not recorded',
      'SAML certificate expiry check failed',
    ]);
  });
});
