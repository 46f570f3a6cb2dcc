import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import type { ConnectionRecord } from '../ports/connections.js';

/**
 * What a test sign-in proved: that the IdP works with exactly these protocol settings (the
 * settings, the client secret as sealed, the SP certificate the IdP was given). A portal test
 * stores this digest; activation requires it to match the connection as it is now, so any change
 * to those since the test asks for a new one. The attribute map is left out on purpose: it does
 * not take part in the protocol, and the mapping preview shows its effect on the tested attributes.
 * The fetched metadata (upstreamMetadata) is left out too: the scheduled refresh rewrites it.
 */
export function settingsDigest(
  connection: Pick<ConnectionRecord, 'type' | 'settings' | 'secretCiphertext' | 'spCertificate'>,
): string {
  const tested = {
    type: connection.type,
    settings: connection.settings,
    secret: connection.secretCiphertext,
    spCertificate: connection.spCertificate,
  };
  return createHash('sha256').update(canonicalJson(tested)).digest('base64url');
}
