/** The SAML 2.0 service provider of enterprise SSO: the only importer of @node-saml/node-saml. */
export {
  createSamlServiceProvider,
  type AcceptedSamlResponse,
  type SamlConnection,
  type SamlLogger,
  type SamlServiceProvider,
  type SamlServiceProviderDeps,
} from './service-provider.js';
export { SamlRejection, type SamlRejectionReason } from './saml-rejection.js';
export { generateSpCredential } from './sp-credential.js';
export { IdpMetadataError, parseIdpMetadata, type ParsedIdpMetadata } from './idp-metadata.js';
export {
  createIdpMetadataRefresh,
  type IdpMetadataRefresh,
  type MetadataRefreshOptions,
  type RefreshableConnection,
} from './metadata-refresh.js';
export { nextIdpMetadata, settleCertificateRollover } from './metadata-rollover.js';
export { certificateWarnings, type CertificateWarning } from './certificate-warnings.js';
export {
  createMetadataRefreshScheduler,
  type MetadataRefreshSchedulerDeps,
  type RefreshSummary,
  type ScheduledConnection,
} from './metadata-refresh-scheduler.js';
export { readStoredMetadata, storedIdpMetadataSchema, type StoredIdpMetadata } from './stored-metadata.js';
export { resolveIdpLogout, singleLogoutEnabled, type IdpLogout } from './single-logout-endpoint.js';
export type { UpstreamSubject } from './single-logout.js';
export type { LogoutResponder, ReceivedLogout } from './single-logout-receive.js';
export type { LogoutTransport } from './logout-decoding.js';
export type { OutgoingLogoutMessage } from './logout-encoding.js';
export { STATUS as LOGOUT_STATUS, type LogoutStatus } from './logout-messages.js';
