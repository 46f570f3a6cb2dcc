import { sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
// node-saml signs HTTP-POST AuthnRequests with this; its SAML class has no POST logout messages.
import { signSamlPost } from '@node-saml/node-saml/lib/saml-post-signing.js';
import type { SamlBinding } from './single-logout-endpoint.js';
import { NS } from './xml-document.js';

export type SamlMessageParameter = 'SAMLRequest' | 'SAMLResponse';

/** A signed logout message on its way to the IdP, through the browser. */
export type OutgoingLogoutMessage =
  | { binding: 'redirect'; url: string }
  /** The browser posts `fields` to `url` (an auto-submitting form). */
  | { binding: 'post'; url: string; fields: Record<string, string> };

export interface SigningCredential {
  privateKey: string;
  certificate: string;
}

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/**
 * Encodes and signs a LogoutRequest or LogoutResponse for `binding`: HTTP-Redirect (Bindings
 * §3.4.4.1: DEFLATE, base64, and an RSA-SHA256 signature over the query, the XML itself left
 * unsigned) or HTTP-POST (§3.5.4: base64 of the XML, signed with an enveloped XML signature).
 */
export function encodeLogoutMessage(
  parameter: SamlMessageParameter,
  xml: string,
  target: { binding: SamlBinding; url: string },
  key: SigningCredential,
  relayState?: string,
): OutgoingLogoutMessage {
  if (target.binding === 'post') {
    const root = xml.startsWith('<samlp:LogoutRequest') ? 'LogoutRequest' : 'LogoutResponse';
    const signed = signSamlPost(xml, `/*[local-name(.)="${root}" and namespace-uri(.)="${NS.protocol}"]`, {
      privateKey: key.privateKey,
      publicCert: key.certificate,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
    });
    const fields = { [parameter]: Buffer.from(signed, 'utf8').toString('base64') };
    return {
      binding: 'post',
      url: target.url,
      fields: relayState ? { ...fields, RelayState: relayState } : fields,
    };
  }
  // §3.4.4.1: the signed octets are the URL-encoded parameters in this order, RelayState only
  // when present; the same encoded values then go into the URL unchanged.
  const encoded = deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64');
  const pairs = [
    `${parameter}=${encodeURIComponent(encoded)}`,
    ...(relayState ? [`RelayState=${encodeURIComponent(relayState)}`] : []),
    `SigAlg=${encodeURIComponent(RSA_SHA256)}`,
  ];
  const signedQuery = pairs.join('&');
  const signature = sign('sha256', Buffer.from(signedQuery, 'utf8'), key.privateKey).toString('base64');
  const separator = target.url.includes('?') ? '&' : '?';
  return {
    binding: 'redirect',
    url: `${target.url}${separator}${signedQuery}&Signature=${encodeURIComponent(signature)}`,
  };
}
