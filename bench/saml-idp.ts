// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect
// metadata API (as in src/federation/saml/sp-credential.ts).
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import * as x509 from '@peculiar/x509';
import { SAML_IDP_ENTITY_ID, type SamlIdpCredential, type SsoUser } from './sso.js';

/**
 * The SAML IdP of `saml_acs`, in the load driver: its signing key, and responses made by samlp
 * (a real SAML IdP library, as in the tests), each with a fresh assertion ID, assertion signed
 * with RSA-SHA256, unsolicited (IdP-initiated).
 */
// RSA 2048: what Entra ID, Okta and AD FS sign SAML assertions with by default.
const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const pem = (label: string, der: ArrayBuffer) =>
  `-----BEGIN ${label}-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END ${label}-----\n`;

export async function generateSamlIdpCredential(): Promise<SamlIdpCredential> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + 24 * 3600 * 1000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: [{ CN: ['Bench SAML IdP'] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ALGORITHM,
    },
    webcrypto as unknown as Crypto,
  );
  return {
    certificate: certificate.toString('pem'),
    privateKey: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}

/** The part of samlp (CommonJS, no types of its own) the bench drives. */
interface Samlp {
  getSamlResponse(
    options: Record<string, unknown>,
    user: Record<string, unknown>,
    callback: (error: Error | null, response?: string) => void,
  ): void;
}
const samlp = createRequire(import.meta.url)('samlp') as Samlp;

export interface SamlSp {
  spEntityId: string;
  acsUrl: string;
}

/** An IdP-initiated response for `user` to `sp`, base64 as the HTTP-POST binding carries it. */
export function signedResponse(idp: SamlIdpCredential, sp: SamlSp, user: SsoUser): Promise<string> {
  const options = {
    issuer: SAML_IDP_ENTITY_ID,
    cert: idp.certificate,
    key: idp.privateKey,
    audience: sp.spEntityId,
    recipient: sp.acsUrl,
    destination: sp.acsUrl,
    lifetimeInSeconds: 3600,
  };
  // samlp's default profile mapper reads Passport.js profiles.
  const [givenName, ...family] = user.name.split(' ');
  const profile = {
    id: user.accountId,
    displayName: user.name,
    name: { givenName, familyName: family.join(' ') },
    emails: [{ value: user.email }],
  };
  return new Promise((resolve, reject) =>
    samlp.getSamlResponse(options, profile, (error, response) =>
      error || !response
        ? reject(error ?? new Error('samlp made no response'))
        : resolve(Buffer.from(response).toString('base64')),
    ),
  );
}
