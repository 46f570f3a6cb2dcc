/**
 * What the rules may count for the operator's dashboards. Every label is a closed set named
 * here, never an organization, user, client, email or id: a time series per tenant would grow
 * without bound (and tell the scraper who signs in where). Free-form values (a grant type, an
 * OAuth error code) are mapped onto fixed lists by the implementation, the rest to `other`.
 */

/** How the first factor was proven; `mfa` counts the second factor on its own. */
export type SignInMethod = 'password' | 'magic_auth' | 'sso' | 'mfa' | 'other';
export type SignInOutcome = 'success' | 'failure' | 'refused' | 'pending_approval';

export type FederationProtocol = 'oidc' | 'saml';
/** `rejected`: the answer failed a check; `upstream_error`: the IdP said no or could not be used. */
export type FederationOutcome = 'success' | 'rejected' | 'upstream_error';

/** RFC 7644 §3.2 resource endpoints plus the service's discovery and bulk ones. */
export type ScimResource =
  'Users' | 'Groups' | 'Bulk' | 'Schemas' | 'ResourceTypes' | 'ServiceProviderConfig' | 'other';

/** `aborted`: the process was stopping; the event goes again after restart. */
export type WebhookOutcome = 'delivered' | 'failed' | 'aborted';
export type BackchannelLogoutOutcome = 'delivered' | 'failed';

export interface Metrics {
  signIn(method: SignInMethod, outcome: SignInOutcome): void;
  federation(protocol: FederationProtocol, outcome: FederationOutcome): void;
  /** `status`: the HTTP status answered; counted by class (2xx, 4xx...). */
  scim(resource: ScimResource, method: string, status: number): void;
  /** A token response; unknown grant types count as `other`. */
  tokenIssued(grantType: string): void;
  /** An OAuth/OIDC error response (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6) at an endpoint. */
  protocolError(endpoint: string, error: string): void;
  webhookDelivery(outcome: WebhookOutcome, seconds: number): void;
  backchannelLogout(outcome: BackchannelLogoutOutcome): void;
}
