import { X509Certificate } from 'node:crypto';

/**
 * IdP certificates arrive as PEM (admin input) or as the bare base64 DER of a ds:X509Certificate
 * (metadata). One PEM spelling lets them be compared, deduplicated and handed to node-saml.
 */
export function toPem(certificate: string): string {
  const body = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The certificate parsed, or undefined when it is not one. */
export function readCertificate(certificate: string): X509Certificate | undefined {
  try {
    return new X509Certificate(toPem(certificate));
  } catch {
    return undefined;
  }
}

export function uniquePems(certificates: readonly string[]): string[] {
  return [...new Set(certificates.map(toPem))];
}
