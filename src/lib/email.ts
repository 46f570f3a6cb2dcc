/**
 * One spelling per mailbox for lookups: Unicode NFC, trimmed, lower case. Lower-casing the local
 * part is not RFC 5321 strict, but every mainstream IdP treats it case-insensitively and two
 * accounts differing only by case are a takeover risk.
 */
export function normalizeEmail(input: string): string {
  return input.normalize('NFC').trim().toLowerCase();
}

/** A pragmatic shape check (one @, something on both sides, a dot in the domain); the IdP proves ownership. */
export function looksLikeEmail(input: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(input) && input.length <= 254;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
