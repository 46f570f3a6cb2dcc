/**
 * The closed sets metric labels take their values from. A value outside its set is counted as
 * `other`: a label fed from a request (a grant type, an error code, an HTTP method) can then
 * never make a new time series per distinct input.
 */
const oneOf =
  (allowed: readonly string[]) =>
  (value: string | undefined): string =>
    value !== undefined && allowed.includes(value) ? value : 'other';

/** RFC 9110 §9 methods; anything else a client invents is `other`. */
export const httpMethod = oneOf(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** 2xx, 4xx...: alerts look at classes, and a class set stays five values long. */
export const statusClass = (status: number): string =>
  status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';

/** Grant types Gatehouse's provider accepts (RFC 6749 §4, RFC 8693) and the ones it may grow. */
export const grantType = oneOf([
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba',
]);

/** The endpoints oidc-provider reports errors for, by its route names. */
export const protocolEndpoint = oneOf([
  'authorization',
  'token',
  'userinfo',
  'introspection',
  'revocation',
  'end_session',
  'pushed_authorization_request',
  'jwks',
  'discovery',
]);

/**
 * Registered OAuth and OIDC error codes: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, OIDC Core
 * §3.1.2.6, RFC 8707 §2, RFC 9101 §6.3, RFC 9126 §2.3, RFC 9449 §12.2, RFC 7591 §3.2.2.
 */
export const oauthError = oneOf([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
]);
