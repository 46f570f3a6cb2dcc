import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export type SigningAlg = 'ES256' | 'RS256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256'];

export interface GeneratedKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  privateJwk: JWK;
}

/** A fresh signing key pair; the kid is the RFC 7638 thumbprint so it is stable and collision-free. */
export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedKey> {
  const options = alg === 'RS256' ? { modulusLength: 2048, extractable: true } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const tag = { kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk: { ...publicJwk, ...tag },
    privateJwk: { ...(await exportJWK(privateKey)), ...tag },
  };
}

// RFC 7518 §6.2.2 and §6.3.2: the members that make an EC or RSA JWK private.
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);

/** The public half of a private JWK, for verifying what the private key signed. */
export function publicJwk(jwk: Record<string, unknown>): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([member]) => !PRIVATE_MEMBERS.has(member))) as JWK;
}
