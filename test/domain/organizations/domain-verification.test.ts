import { describe, expect, it } from '@jest/globals';
import {
  checkDnsChallenge,
  type DnsResolver,
} from '../../../src/domain/organizations/domain-verification.js';

/** A zone in memory: name -> TXT records (each a list of character-strings, as node:dns returns them). */
function fakeDns(zone: Record<string, string[][]>, failure?: string): DnsResolver {
  return {
    async resolveTxt(name) {
      if (failure) throw Object.assign(new Error(failure), { code: failure });
      const records = zone[name];
      if (!records) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return records;
    },
  };
}

describe('DNS TXT domain verification', () => {
  const token = 'gatehouse-verification=abc123';

  it('accepts the token at _gatehouse-challenge, also when split into chunks', async () => {
    const zone = {
      '_gatehouse-challenge.example.com': [['v=spf1 -all'], ['gatehouse-verif', 'ication=abc123']],
    };
    expect(await checkDnsChallenge(fakeDns(zone), 'example.com', token)).toEqual({ verified: true });
  });

  it('checks the base name for a wildcard claim', async () => {
    const zone = { '_gatehouse-challenge.corp.example.com': [[token]] };
    expect(await checkDnsChallenge(fakeDns(zone), '*.corp.example.com', token)).toEqual({ verified: true });
  });

  it('says what is missing when the record is absent or holds another value', async () => {
    expect(await checkDnsChallenge(fakeDns({}), 'example.com', token)).toMatchObject({
      verified: false,
      reason: 'record_missing',
      detail: expect.stringContaining('_gatehouse-challenge.example.com'),
    });
    const other = { '_gatehouse-challenge.example.com': [['gatehouse-verification=other']] };
    expect(await checkDnsChallenge(fakeDns(other), 'example.com', token)).toMatchObject({ verified: false });
    // A token for a sub-domain is not proof for its parent.
    const sub = { '_gatehouse-challenge.a.example.com': [[token]] };
    expect(await checkDnsChallenge(fakeDns(sub), 'example.com', token)).toMatchObject({ verified: false });
  });

  it('reports a failed lookup apart from a missing record', async () => {
    expect(await checkDnsChallenge(fakeDns({}, 'ETIMEOUT'), 'example.com', token)).toMatchObject({
      verified: false,
      reason: 'lookup_failed',
    });
  });
});
