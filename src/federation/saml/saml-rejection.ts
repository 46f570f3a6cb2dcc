/**
 * Why a SAML response was refused: a stable snake_case code for logs, metrics and the HTTP layer's
 * error page. The message is safe to log (no assertion content beyond identifiers, no keys).
 */
export type SamlRejectionReason =
  | 'malformed'
  | 'idp_unavailable'
  | 'status_not_success'
  | 'wrapped_signature'
  | 'signature_missing'
  | 'signature_invalid'
  | 'sha1_refused'
  | 'insecure_encryption'
  | 'decryption_failed'
  | 'encrypted_assertion_required'
  | 'comment_in_value'
  | 'issuer_mismatch'
  | 'destination_mismatch'
  | 'recipient_mismatch'
  | 'audience_mismatch'
  | 'subject_confirmation_missing'
  | 'authn_statement_missing'
  | 'condition_unsupported'
  | 'expired'
  | 'not_yet_valid'
  | 'in_response_to_mismatch'
  | 'idp_initiated_refused'
  | 'unknown_request'
  | 'replayed_request'
  | 'replayed_assertion'
  | 'relay_state_mismatch';

export class SamlRejection extends Error {
  constructor(
    readonly reason: SamlRejectionReason,
    message: string,
    /** The SAML StatusCode (SAML Core §3.2.2.2) when the IdP answered with anything but Success. */
    readonly status?: string,
  ) {
    super(message);
    this.name = 'SamlRejection';
  }
}

/** Throws; declared so that TypeScript narrows after a call (`if (!x) reject(...)`). */
export function reject(reason: SamlRejectionReason, message: string, status?: string): never {
  throw new SamlRejection(reason, message, status);
}
