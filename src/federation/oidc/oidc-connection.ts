import { connectionSecretContext } from '../../domain/organizations/connections-admin.js';
import type { OidcSettings } from '../../domain/organizations/connection-input.js';
import type { ConnectionRecord } from '../../domain/ports/connections.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { ClientAuthentication } from './relying-party.js';
import type { OidcConnection } from './upstream-oidc.js';

/** Gatehouse's own signing key for private_key_jwt (the one /jwks publishes as current). */
export type ClientAssertionKey = () => Promise<{ key: CryptoKey; kid: string }>;

async function authenticationOf(
  record: ConnectionRecord,
  envelope: Envelope,
  assertionKey: ClientAssertionKey,
): Promise<ClientAuthentication> {
  const method = (record.settings as OidcSettings).token_endpoint_auth_method;
  if (method === 'none') return { method };
  if (method === 'private_key_jwt') return { method, ...(await assertionKey()) };
  if (!record.secretCiphertext) throw new Error(`connection ${record.id} has no client secret`);
  return { method, secret: envelope.open(record.secretCiphertext, connectionSecretContext(record.id)) };
}

/** The stored connection as the sign-in needs it, the client secret opened only now. */
export async function oidcConnectionFrom(
  record: ConnectionRecord,
  envelope: Envelope,
  assertionKey: ClientAssertionKey,
): Promise<OidcConnection> {
  const settings = record.settings as OidcSettings;
  return {
    id: record.id,
    issuer: settings.issuer,
    clientId: settings.client_id,
    scopes: settings.scopes,
    authentication: await authenticationOf(record, envelope, assertionKey),
    updatedAt: record.updatedAt,
  };
}
