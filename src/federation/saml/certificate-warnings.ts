import { createHash } from 'node:crypto';
import { readCertificate } from './certificates.js';

export interface CertificateWarning {
  /** SHA-256 of the DER, hex: how admin consoles show a certificate. */
  fingerprint: string;
  subject: string;
  notAfter: Date;
  /** Whole days left (negative once expired). */
  daysLeft: number;
  expired: boolean;
  /** Whether the IdP still publishes it, or it is kept from before a rollover. */
  state: 'current' | 'previous';
}

const DAY_MS = 86_400_000;

/**
 * IdP signing certificates that expire within `withinDays` (or already have), for the log and
 * the connection view. Gatehouse keeps accepting an expired IdP certificate (SAML metadata
 * trust is by key, and refusing would lock every user out at once); the warning is the way
 * admins learn that the IdP needs a new one.
 */
export function certificateWarnings(
  metadata: { certificates?: readonly string[]; previousCertificates?: readonly string[] },
  now: Date,
  withinDays = 30,
): CertificateWarning[] {
  const listed = [
    ...(metadata.certificates ?? []).map((pem) => ({ pem, state: 'current' as const })),
    ...(metadata.previousCertificates ?? []).map((pem) => ({ pem, state: 'previous' as const })),
  ];
  const warnings: CertificateWarning[] = [];
  for (const { pem, state } of listed) {
    const certificate = readCertificate(pem);
    if (!certificate) continue;
    const notAfter = new Date(certificate.validTo);
    const left = notAfter.getTime() - now.getTime();
    if (left > withinDays * DAY_MS) continue;
    warnings.push({
      fingerprint: createHash('sha256').update(certificate.raw).digest('hex'),
      subject: certificate.subject.replace(/\n/g, ', '),
      notAfter,
      daysLeft: Math.floor(left / DAY_MS),
      expired: left <= 0,
      state,
    });
  }
  return warnings;
}
