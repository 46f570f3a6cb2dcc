import { describe, expect, it } from '@jest/globals';
import { isSecretName, REDACTED, redactSnapshot } from '../../../src/domain/audit/redact.js';

describe('audit snapshot redaction', () => {
  it.each([
    'password',
    'newPassword',
    'passwordHash',
    'password_hash',
    'clientSecret',
    'client_secret',
    'secretCiphertext',
    'spKeyCiphertext',
    'privateJwkCt',
    'privateKey',
    'private_key_pem',
    'apiKey',
    'token',
    'accessToken',
    'refresh_token',
    'scimToken',
    'tokenHash',
    'code',
    'recoveryCodes',
    'authorization_code',
    'signInCode',
    'otp',
    'totpSecret',
    'cookie',
    'client_assertion',
    'credentials',
  ])('removes %s', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'id',
    'name',
    'email',
    'token_endpoint_auth_method',
    'code_challenge_method',
    'passwordChangedAt',
    'client_secret_expires_at',
    'passwordMinLength',
    'recoveryCodesRemaining',
    'publicKey',
    'publicJwk',
    'credentialId',
    'countryCode',
    'postalCode',
    'userNameKey',
    'grant_type',
    'tokenTtl',
    'secretId',
  ])('keeps %s', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('redacts nested members and values shaped like secrets, keeps flags and nulls', () => {
    const snapshot = {
      id: 'cli_1',
      secret: 'hunter2',
      hasSecret: true,
      passwordHash: null,
      metadata: { redirect_uris: ['https://app.test/cb'], client_secret: 'x', nested: [{ token: 'abc' }] },
      note: `gh_${'a'.repeat(43)}`,
      header: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      pem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
      sealed: `v1.${'A'.repeat(16)}.${'B'.repeat(30)}.${'C'.repeat(22)}`,
      jwk: { kty: 'RSA', kid: 'k1', n: 'modulus', e: 'AQAB', d: 'private', p: 'p', q: 'q' },
    };
    expect(redactSnapshot(snapshot)).toEqual({
      id: 'cli_1',
      secret: REDACTED,
      hasSecret: true,
      passwordHash: null,
      metadata: {
        redirect_uris: ['https://app.test/cb'],
        client_secret: REDACTED,
        nested: [{ token: REDACTED }],
      },
      note: REDACTED,
      header: REDACTED,
      pem: REDACTED,
      sealed: REDACTED,
      jwk: { kty: 'RSA', kid: 'k1', n: 'modulus', e: 'AQAB', d: REDACTED, p: REDACTED, q: REDACTED },
    });
  });

  it('stores plain JSON: dates as ISO strings, undefined dropped, NUL replaced, nothing as null', () => {
    expect(redactSnapshot({ at: new Date(0), gone: undefined, text: 'a\u0000b' })).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      text: 'a\uFFFDb',
    });
    expect(redactSnapshot(undefined)).toBeNull();
    expect(redactSnapshot(null)).toBeNull();
    expect(redactSnapshot(() => 1)).toBeNull();
    expect(redactSnapshot(['x', 2])).toEqual(['x', 2]);
  });
});
