/**
 * SAML AuthnContextClassRef (SAML Authn Context §3.4) to RFC 8176 `amr` values: a small table
 * of the classes IdPs actually send. Unknown classes (and `unspecified`) give no method rather
 * than a guess: a policy asking for `mfa` or `hwk` must not be met by something it cannot see.
 */
const AC = 'urn:oasis:names:tc:SAML:2.0:ac:classes:';
const METHODS: Readonly<Record<string, readonly string[]>> = {
  [`${AC}Password`]: ['pwd'],
  [`${AC}PasswordProtectedTransport`]: ['pwd'],
  [`${AC}TimeSyncToken`]: ['otp'],
  // A key validated in an X.509 PKI, stored who knows where: a software key unless said otherwise.
  [`${AC}X509`]: ['swk'],
  [`${AC}TLSClient`]: ['swk'],
  [`${AC}Smartcard`]: ['sc'],
  [`${AC}SmartcardPKI`]: ['sc', 'hwk'],
  [`${AC}MobileTwoFactorContract`]: ['mfa'],
  [`${AC}MobileTwoFactorUnregistered`]: ['mfa'],
  // Entra ID / AD FS after a second factor, and the REFEDS MFA profile.
  'http://schemas.microsoft.com/claims/multipleauthn': ['mfa'],
  'https://refeds.org/profile/mfa': ['mfa'],
};

/** The union of the methods of every class ref, in table order, without duplicates. */
export function authenticationMethods(classRefs: readonly (string | undefined)[]): string[] {
  const methods = classRefs.flatMap((classRef) => (classRef ? (METHODS[classRef] ?? []) : []));
  return [...new Set(methods)];
}
