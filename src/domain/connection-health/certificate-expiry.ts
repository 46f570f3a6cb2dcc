/** An IdP certificate of a connection, as the health page and the warnings see it. */
export interface ConnectionCertificate {
  /** SHA-256 of the DER, hex: how admin consoles show a certificate. */
  fingerprint: string;
  subject: string;
  notAfter: Date;
  /** Whether the IdP still publishes it, or it is kept from before a rollover. */
  state: 'current' | 'previous';
}

/** Days before expiry at which the organization is warned: a month, two weeks, one week. */
export const WARNING_DAYS = [30, 14, 7] as const;
/** Within this many days the portal shows a banner. */
export const BANNER_DAYS = 30;

const DAY_MS = 86_400_000;

/** Whole days left (negative once expired). */
export const daysLeft = (notAfter: Date, now: Date) =>
  Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);

/**
 * The warning due for a certificate with `left` days to go, given the thresholds already sent:
 * the most urgent threshold crossed and not sent yet, or undefined. A certificate first seen with
 * 10 days left gets one warning (14), not two at once; `sent` then records 30 and 14, so only
 * the 7-day one is still to come.
 */
export function dueWarning(
  left: number,
  sent: readonly number[],
): { threshold: number; sent: number[] } | undefined {
  const crossed = WARNING_DAYS.filter((days) => left <= days);
  const threshold = crossed.at(-1);
  if (threshold === undefined || sent.includes(threshold)) return undefined;
  return { threshold, sent: [...new Set([...sent, ...crossed])].sort((a, b) => b - a) };
}
