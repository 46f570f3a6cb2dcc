// @peculiar/x509 resolves its algorithm classes through tsyringe, which needs the Reflect metadata
// API; @simplewebauthn/server loads the same polyfill for the same library.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { SpCredential } from '../../domain/organizations/connections-admin.js';

const VALIDITY_YEARS = 10;
// NIST SP 800-57 Part 1 Rev. 5 §5.6.3: RSA 3072 (128-bit security) for protection beyond 2030,
// which a ten-year certificate reaches.
const ALGORITHM = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 3072,
} as const;

/**
 * A SAML connection's own key pair and self-signed certificate (SAML Metadata §2.4.1.1: the
 * certificate only carries the key, so self-signed is the norm). Used to sign AuthnRequests
 * and to decrypt assertions; node has key generation but no X.509 writer, hence @peculiar/x509.
 */
export async function generateSpCredential(commonName: string): Promise<SpCredential> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const notBefore = new Date();
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + VALIDITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; high bit cleared.
      serialNumber: `01${randomBytes(15).toString('hex')}`,
      name: [{ CN: [commonName] }],
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certificate: certificate.toString('pem'), privateKey: pemOf('PRIVATE KEY', pkcs8) };
}

function pemOf(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
