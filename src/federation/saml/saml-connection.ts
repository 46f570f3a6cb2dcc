import { connectionSpKeyContext } from '../../domain/organizations/connections-admin.js';
import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import type { ConnectionRecord } from '../../domain/ports/connections.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { SamlConnection } from './service-provider.js';

/** The stored connection as the SP needs it, its private key opened only now. */
export function samlConnectionFrom(record: ConnectionRecord, envelope: Envelope): SamlConnection {
  if (!record.spCertificate || !record.spKeyCiphertext) {
    throw new Error(`SAML connection ${record.id} has no SP credential`);
  }
  return {
    id: record.id,
    organizationId: record.organizationId,
    settings: record.settings as SamlSettings,
    upstreamMetadata: record.upstreamMetadata,
    spCertificate: record.spCertificate,
    spPrivateKey: envelope.open(record.spKeyCiphertext, connectionSpKeyContext(record.id)),
    attributeMap: record.attributeMap,
  };
}
