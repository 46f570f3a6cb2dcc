import { describe, expect, it } from '@jest/globals';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { generateSigningKey } from '../../src/lib/jwk.js';
import { createOwnJwtVerifier, OwnJwtRejected } from '../../src/oidc/own-jwt.js';
import { verifiedJwts } from '../../src/oidc/verified-jwts.js';

const ISSUER = 'https://id.example.test';
const T0 = Date.UTC(2026, 11, 1, 12); // milliseconds; tokens below count in seconds from it

async function signer() {
  const key = await generateSigningKey('ES256');
  const privateKey = await importJWK(key.privateJwk, 'ES256');
  const sign = (claims: JWTPayload, typ = 'at+jwt') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ }).sign(privateKey);
  return { jwks: [key.privateJwk as never], sign };
}

const accessClaims = (fields: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  sub: 'usr_1',
  client_id: 'app',
  iat: T0 / 1000,
  exp: T0 / 1000 + 60,
  ...fields,
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof OwnJwtRejected ? (error.expired ? 'expired' : 'invalid') : error),
  );

describe('own JWT verification', () => {
  it('accepts a token again, once verified, only while its times allow', async () => {
    const { jwks, sign } = await signer();
    let now = T0;
    const verify = createOwnJwtVerifier({ issuer: ISSUER, jwks, now: () => now });
    const token = await sign(accessClaims({ nbf: T0 / 1000 }));
    const first = await verify(token, 'access_token');
    expect(first).toMatchObject({ sub: 'usr_1', client_id: 'app' });
    now = T0 + 59_999;
    expect(await verify(token, 'access_token')).toBe(first); // remembered: the same frozen payload
    expect(Object.isFrozen(first)).toBe(true);
    now = T0 + 60_000;
    expect(await rejection(verify(token, 'access_token'))).toBe('expired');
    // Before its nbf, as jwtVerify would say.
    now = T0 - 1_000;
    expect(await rejection(verify(token, 'access_token'))).toBe('invalid');
  });

  it('never remembers a refusal, and keeps the kinds apart', async () => {
    const { jwks, sign } = await signer();
    const verify = createOwnJwtVerifier({ issuer: ISSUER, jwks, now: () => T0 });
    const token = await sign(accessClaims());
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify(accessClaims({ sub: 'usr_admin' }))).toString('base64url')}.${signature}`;
    expect(await rejection(verify(forged, 'access_token'))).toBe('invalid');
    expect(await rejection(verify(forged, 'access_token'))).toBe('invalid');
    expect(await verify(token, 'access_token')).toMatchObject({ sub: 'usr_1' });
    // A remembered access token is still no ID token.
    expect(await rejection(verify(token, 'id_token'))).toBe('invalid');

    const other = await signer();
    const strange = createOwnJwtVerifier({ issuer: ISSUER, jwks: other.jwks, now: () => T0 });
    expect(await rejection(strange(token, 'access_token'))).toBe('invalid');
  });
});

describe('verified JWTs', () => {
  it('keeps at most its capacity, the least recently verified going first', () => {
    const memory = verifiedJwts(2);
    memory.entry('access_token', 'a').keep({ sub: 'a' });
    memory.entry('access_token', 'b').keep({ sub: 'b' });
    memory.entry('access_token', 'a').keep({ sub: 'a' }); // verified again: now the newest
    memory.entry('access_token', 'c').keep({ sub: 'c' });
    expect(memory.entry('access_token', 'b').payload).toBeUndefined();
    expect(memory.entry('access_token', 'a').payload).toEqual({ sub: 'a' });
    expect(memory.entry('access_token', 'c').payload).toEqual({ sub: 'c' });
    expect(memory.entry('id_token', 'c').payload).toBeUndefined();
  });
});
