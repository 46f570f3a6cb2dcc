import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signatureHeader, verifySignature } from '../../../src/domain/webhooks/signature.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret';
  const body = '{"id":"evt_1.1","sequence":1}';
  const t = 1_900_000_000;

  it('signs "<t>.<body>" with HMAC-SHA256 under the secret, as t=<seconds>,v1=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature within the tolerance', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body, t)).toBe(true);
    expect(verifySignature(secret, header, body, t + 299)).toBe(true);
  });

  it('refuses another secret, a changed body, an old timestamp and malformed headers', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature('whsec_other', header, body, t)).toBe(false);
    expect(verifySignature(secret, header, body.replace('1}', '2}'), t)).toBe(false);
    expect(verifySignature(secret, header, body, t + 301)).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, t)).toBe(false);
    expect(verifySignature(secret, `t=${t},v1=zz`, body, t)).toBe(false);
    expect(verifySignature(secret, '', body, t)).toBe(false);
  });
});
