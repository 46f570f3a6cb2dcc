import { importJWK } from 'jose';
import type { ClientAssertionKey } from './oidc-connection.js';

type PrivateJwk = Record<string, unknown> & { kid: string; alg: string };

/**
 * private_key_jwt at partner IdPs signs with Gatehouse's current RS256 key (RS256 is what every
 * IdP accepts). The IdP trusts `<issuer>/jwks`, which publishes next and previous keys too, so a
 * rotation never breaks the connection. Imported keys are kept per kid.
 */
export function clientAssertionKeyFrom(signingSet: () => Promise<PrivateJwk[]>): ClientAssertionKey {
  const imported = new Map<string, Promise<CryptoKey>>();
  return async () => {
    const jwk = (await signingSet()).find((candidate) => candidate.alg === 'RS256');
    if (!jwk) throw new Error('no RS256 signing key to sign a client assertion with');
    let key = imported.get(jwk.kid);
    if (!key) imported.set(jwk.kid, (key = importJWK(jwk, 'RS256') as Promise<CryptoKey>));
    return { key: await key, kid: jwk.kid };
  };
}
