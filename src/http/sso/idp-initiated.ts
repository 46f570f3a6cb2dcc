/**
 * An IdP-initiated SAML sign-in has no interaction to return to: the ACS sends the browser to the
 * application's initiate_login_uri with this cookie holding the verified answer's ticket, and
 * the application's next interaction (for that client only) completes the sign-in with it.
 */
export const IDP_INITIATED_COOKIE = 'gh_idp_initiated';
