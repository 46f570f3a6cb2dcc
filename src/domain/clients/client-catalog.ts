import { isDeepStrictEqual } from 'node:util';
import type { Envelope } from '../../lib/crypto/envelope.js';
import { deepFrozen } from '../../lib/deep-frozen.js';
import type { ClientRecord, ClientRepository, NewClient } from '../ports/repositories.js';
import type { KeptConfiguration } from '../ports/kept-configuration.js';
import type { ValidClientDefinition } from './client-definition.js';

/** Client metadata in the shape oidc-provider reads (RFC 7591 names). */
export type ProviderClientMetadata = Record<string, unknown> & { client_id: string };

/** Scopes oidc-provider itself understands; every other scope belongs to an API (resource server). */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'offline_access',
  'email',
  'profile',
  // Tenant claims: `organization` releases org_id and org_slug, `roles` releases roles and permissions.
  'organization',
  'roles',
]);

const secretContext = (clientId: string) => `client-secret:${clientId}`;

/** Turns a validated definition into the stored record; the secret is sealed, never stored in plain. */
export function clientRecordFrom(
  client: ValidClientDefinition,
  envelope: Envelope,
  managedBy: string | null,
  organizationId: string | null = null,
): NewClient {
  const { client_id, client_secret, name, scopes, first_party, response_types, ...rest } = client;
  const implicit = response_types?.some((type) => type.includes('id_token')) ?? false;
  const oidcScopes = scopes.filter((scope) => OIDC_SCOPES.has(scope));
  const metadata: Record<string, unknown> = {
    ...rest,
    ...(oidcScopes.length > 0 ? { scope: oidcScopes.join(' ') } : {}),
    resource_scopes: scopes.filter((scope) => !OIDC_SCOPES.has(scope)),
    first_party,
    response_types: response_types ?? (rest.grant_types.includes('authorization_code') ? ['code'] : []),
    grant_types:
      implicit && !rest.grant_types.includes('implicit')
        ? [...rest.grant_types, 'implicit']
        : rest.grant_types,
    token_endpoint_auth_method:
      rest.token_endpoint_auth_method ?? (client_secret ? 'client_secret_basic' : 'none'),
    ...(name ? { client_name: name } : {}),
  };
  return {
    id: client_id,
    name: name ?? null,
    secretCiphertext: client_secret ? envelope.seal(client_secret, secretContext(client_id)) : null,
    metadata,
    organizationId,
    managedBy,
  };
}

/** Whether applying `next` over `stored` changes anything (secrets compared after opening). */
export function clientDiffers(stored: ClientRecord, next: NewClient, envelope: Envelope): boolean {
  const storedSecret =
    stored.secretCiphertext && envelope.open(stored.secretCiphertext, secretContext(stored.id));
  const nextSecret = next.secretCiphertext && envelope.open(next.secretCiphertext, secretContext(next.id));
  return (
    storedSecret !== nextSecret ||
    stored.name !== next.name ||
    stored.organizationId !== next.organizationId ||
    !isDeepStrictEqual(stored.metadata, next.metadata)
  );
}

export interface ClientCatalog {
  /** Metadata with the secret opened, for oidc-provider; undefined for unknown clients. */
  providerMetadata(clientId: string): Promise<ProviderClientMetadata | undefined>;
}

/**
 * oidc-provider asks for the client on every request that names one (each token, introspection
 * and sign-in step): hot paths skip a database read and a decryption. With the configuration kept
 * across requests (`kept`, while it is keeping), an answer lasts until the clients change, on any
 * instance; otherwise answers are kept for CLIENT_CACHE_MS, and a change made on another instance
 * (apply, admin API) is seen within that time. Unknown ids are kept too, so made-up client ids
 * cannot hammer the database.
 */
export const CLIENT_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

export function createClientCatalog(
  clients: ClientRepository,
  envelope: Envelope,
  options: { now?: () => number; kept?: KeptConfiguration | undefined } = {},
): ClientCatalog {
  const { now = Date.now, kept } = options;
  const cache = new Map<string, { at: number; metadata: Promise<ProviderClientMetadata | undefined> }>();
  const load = async (clientId: string): Promise<ProviderClientMetadata | undefined> => {
    const record = await clients.find(clientId);
    if (!record) return undefined;
    return {
      ...record.metadata,
      client_id: record.id,
      ...(record.organizationId ? { organization_id: record.organizationId } : {}),
      ...(record.secretCiphertext
        ? { client_secret: envelope.open(record.secretCiphertext, secretContext(record.id)) }
        : {}),
    };
  };
  const forSeconds = (clientId: string) => {
    const hit = cache.get(clientId);
    if (hit && now() - hit.at < CLIENT_CACHE_MS) return hit.metadata;
    if (cache.size >= MAX_CACHED) cache.clear();
    const metadata = load(clientId).then(deepFrozen);
    cache.set(clientId, { at: now(), metadata });
    // A failed read is not an answer: let the next request try again.
    metadata.catch(() => cache.delete(clientId));
    return metadata;
  };
  return {
    async providerMetadata(clientId) {
      if (kept?.keeping()) return kept.remembered(`client\u0000${clientId}`, () => load(clientId));
      return forSeconds(clientId);
    },
  };
}
