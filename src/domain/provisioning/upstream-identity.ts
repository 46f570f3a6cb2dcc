/**
 * Who an upstream IdP says signed in, the same shape whichever protocol carried it (federation/oidc
 * and federation/saml produce it; provisioning consumes it). Everything here has been verified
 * (signature, issuer, audience, freshness) before it is built.
 */
export interface UpstreamIdentity {
  /** The Gatehouse connection the user came through. */
  connectionId: string;
  protocol: 'oidc' | 'saml';
  /** OIDC `sub` or SAML NameID, exactly as asserted: with connectionId, the key of the identity. */
  subject: string;
  /**
   * Every claim (OIDC ID token + userinfo) or attribute (SAML, multi-valued ones as arrays), under
   * its upstream name: the input of the connection's attribute map.
   */
  claims: Record<string, unknown>;
  /** The email the protocol's usual place carries (OIDC `email`; SAML mail attribute or email NameID). */
  email?: string | undefined;
  /** OIDC `email_verified` when the IdP sent it. */
  emailVerified?: boolean | undefined;
  /** RFC 8176 method values the IdP reported (OIDC `amr`; SAML AuthnContextClassRef, translated). */
  authenticationMethods: string[];
  /** When the user authenticated at the IdP, when it says. */
  authenticatedAt?: Date | undefined;
  /**
   * SAML: the IdP's session this sign-in belongs to, for Single Logout (Profiles §4.4.4.1 names
   * it by the NameID with its Format and the AuthnStatement's SessionIndex).
   */
  samlSession?: { nameIdFormat?: string | undefined; sessionIndex?: string | undefined } | undefined;
}
