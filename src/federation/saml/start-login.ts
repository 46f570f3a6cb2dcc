import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { resolveIdp } from './idp-source.js';
import type { ReplayGuard } from './replay-guard.js';

export interface LoginStart {
  spEntityId: string;
  acsUrl: string;
  guard: ReplayGuard;
}

export interface StartableConnection {
  id: string;
  settings: SamlSettings;
  upstreamMetadata: Record<string, unknown> | null;
  spPrivateKey: string;
}

// SAML Bindings §3.4.3: RelayState MUST NOT exceed 80 bytes (and must be integrity-protected by
// the caller, e.g. an opaque reference to the interaction, never the data itself).
const MAX_RELAY_STATE_BYTES = 80;

/**
 * An AuthnRequest over HTTP-Redirect (Bindings §3.4), signed with the connection's SP key
 * (RSA-SHA256 over the query, §3.4.4.1) when the connection says so. Its ID is remembered for
 * 10 minutes, for this connection only, and is good for one response.
 */
export async function startSamlLogin(
  start: LoginStart,
  connection: StartableConnection,
  relayState: string,
): Promise<{ url: string; requestId: string }> {
  if (Buffer.byteLength(relayState, 'utf8') > MAX_RELAY_STATE_BYTES) {
    throw new RangeError('RelayState is limited to 80 bytes (SAML Bindings §3.4.3)');
  }
  const idp = resolveIdp(connection.settings, connection.upstreamMetadata);
  // SAML Core §1.3.4: an xs:ID with at least 128 bits of randomness; it must not start with a digit.
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const saml = new SAML({
    entryPoint: idp.ssoUrl,
    issuer: start.spEntityId,
    callbackUrl: start.acsUrl,
    idpCert: idp.certificates,
    generateUniqueId: () => requestId,
    ...(connection.settings.sign_authn_requests
      ? { privateKey: connection.spPrivateKey, signatureAlgorithm: 'sha256' as const }
      : {}),
    // No NameIDPolicy Format and no RequestedAuthnContext: the IdP picks its usual NameID and
    // method; asking for PasswordProtectedTransport (node-saml's default) fails MFA-only IdPs.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
  await start.guard.rememberRequest(connection.id, requestId, relayState);
  return { url, requestId };
}
