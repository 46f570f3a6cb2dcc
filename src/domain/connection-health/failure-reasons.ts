/**
 * Why a sign-in through a connection failed, in words for the customer's administrator: what went
 * wrong and what to check at their IdP. Keyed by the codes the sign-in path already logs
 * (http/sso/upstream-sign-in.ts: `saml_<SamlRejectionReason>`, `upstream_*`; provisioning refusals,
 * domain/provisioning/sso-refusal.ts). Never the IdP's raw message: it may quote the assertion.
 */
const SAML: Record<string, string> = {
  malformed: 'The IdP sent something that is not a readable SAML response.',
  idp_unavailable:
    'The IdP is not fully configured yet: its metadata could not be read, or its entity ID, sign-in URL or certificate is missing.',
  status_not_success: 'The IdP answered that it did not sign the user in (its status was not Success).',
  wrapped_signature: 'The response was refused because its signature did not cover the assertion used.',
  signature_missing:
    'The IdP did not sign the response or assertion. Turn on assertion signing in the IdP’s application settings.',
  signature_invalid:
    'The IdP’s signature did not verify with the certificate we have — the IdP may have rotated its certificate. Upload its new metadata or certificate.',
  sha1_refused: 'The IdP signed with SHA-1, which is refused. Switch the application to SHA-256 at the IdP.',
  insecure_encryption:
    'The IdP encrypted the assertion with an algorithm that is refused. Use AES-GCM or AES-CBC with RSA-OAEP.',
  decryption_failed:
    'The encrypted assertion could not be decrypted — the IdP may hold an old copy of our certificate. Give it our current SP metadata.',
  encrypted_assertion_required: 'The connection requires encrypted assertions and the IdP sent a plain one.',
  comment_in_value: 'The response was refused because an identifier contained an XML comment.',
  issuer_mismatch: 'The response came from a different IdP entity ID than the one configured.',
  destination_mismatch:
    'The IdP sent the response to a different address than our ACS URL. Check the ACS URL at the IdP.',
  recipient_mismatch: 'The IdP addressed the assertion to a different ACS URL. Check the ACS URL at the IdP.',
  audience_mismatch:
    'The IdP addressed the assertion to another service provider. Check the SP entity ID (audience) at the IdP.',
  subject_confirmation_missing: 'The assertion had no usable subject confirmation.',
  authn_statement_missing: 'The assertion did not say how the user signed in (no AuthnStatement).',
  condition_unsupported: 'The assertion carried a condition that is not supported.',
  expired: 'The assertion had already expired when it arrived — check the clocks of the IdP’s servers.',
  not_yet_valid: 'The assertion was not valid yet when it arrived — check the clocks of the IdP’s servers.',
  in_response_to_mismatch: 'The response answered a different sign-in request.',
  idp_initiated_refused: 'The IdP started a sign-in on its own, which this connection does not allow.',
  unknown_request: 'The response answered a sign-in request that is unknown or too old.',
  replayed_request: 'A response to the same sign-in request was already used.',
  replayed_assertion: 'The same assertion was already used once.',
  relay_state_mismatch: 'The response came back with a RelayState that does not match the sign-in.',
};

const OTHER: Record<string, string> = {
  upstream_error:
    'The IdP did not sign the user in (it answered with an error, e.g. the user is not assigned to the application).',
  upstream_rejected:
    'The IdP’s answer could not be verified — check the client ID, client secret and issuer, and that the IdP signs ID tokens with a published key.',
  connection_unavailable: 'The connection is disabled or not fully configured.',
  unknown_state: 'The sign-in took too long or was already completed, so its answer was not accepted.',
  idp_initiated_no_target: 'The IdP started a sign-in on its own, but no application is set to receive it.',
  organization_suspended: 'The organization is suspended.',
  email_missing: 'The IdP did not send a usable email address. Map an attribute to email.',
  email_domain_not_verified:
    'The email address the IdP sent is not under a domain this organization has verified (or the IdP says it is unverified).',
  jit_disabled: 'The user has no account in this organization and just-in-time provisioning is off.',
  membership_suspended: 'The user’s membership in this organization is suspended.',
  identity_conflict: 'The email address already belongs to another user of this IdP (a reassigned mailbox).',
};

const OIDC_DETAILS: Array<[RegExp, string]> = [
  [
    /invalid_client|client authentication/i,
    'The IdP refused our client credentials — check the client ID and client secret.',
  ],
  [/signature/i, 'The ID token’s signature did not verify with the IdP’s published keys.'],
  [/\biss\b|issuer/i, 'The IdP identified itself with a different issuer than the one configured.'],
  [
    /invalid_grant/i,
    'The IdP refused the authorization code — check the redirect URI registered at the IdP.',
  ],
];

/** The plain-language reason for a failure code; `detail` (logged only) refines a few OIDC ones. */
export function failureReason(code: string, detail?: string): string {
  if (code.startsWith('saml_')) return SAML[code.slice('saml_'.length)] ?? OTHER.upstream_rejected!;
  if (code === 'upstream_rejected' && detail) {
    const known = OIDC_DETAILS.find(([pattern]) => pattern.test(detail));
    if (known) return known[1];
  }
  return OTHER[code] ?? 'The sign-in failed for a reason the administrator of Gatehouse can find in its log.';
}
