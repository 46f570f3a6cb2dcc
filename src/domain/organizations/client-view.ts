import type { ValidClientDefinition } from '../clients/client-definition.js';
import type { ClientRecord } from '../ports/repositories.js';

/** What a client's definition says besides its id and name: the settings admins write. */
export type ClientSettings = Omit<ValidClientDefinition, 'client_id' | 'client_secret' | 'name'>;

/** A stored client as admins see it: its settings in the shape they wrote them, never the secret. */
export interface ClientView {
  id: string;
  name: string | null;
  organizationId: string | null;
  managedBy: string | null;
  settings: ClientSettings;
  createdAt: Date;
  updatedAt: Date;
}

// The metadata members clientRecordFrom copies from the definition unchanged.
const COPIED = [
  'redirect_uris',
  'post_logout_redirect_uris',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'jwks_uri',
  'jwks',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'resources',
  'first_party',
  'token_exchange',
] as const;

/**
 * The inverse of clientRecordFrom: provider metadata back into definition fields. oidc-provider's
 * `scope` and our `resource_scopes` are joined again into the one `scopes` list admins write.
 */
export function clientView(record: ClientRecord): ClientView {
  const { metadata } = record;
  const copied = Object.fromEntries(
    COPIED.filter((key) => key in metadata).map((key) => [key, metadata[key]]),
  );
  const oidcScopes = typeof metadata.scope === 'string' ? metadata.scope.split(' ').filter(Boolean) : [];
  const resourceScopes = Array.isArray(metadata.resource_scopes)
    ? (metadata.resource_scopes as string[])
    : [];
  return {
    id: record.id,
    name: record.name,
    organizationId: record.organizationId,
    managedBy: record.managedBy,
    settings: { ...copied, scopes: [...oidcScopes, ...resourceScopes] } as ClientSettings,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** The definition that stores `view` again, with `client_secret` as given. */
export function definitionOf(view: ClientView, clientSecret: string | undefined): ValidClientDefinition {
  return {
    ...view.settings,
    client_id: view.id,
    ...(view.name !== null ? { name: view.name } : {}),
    client_secret: clientSecret,
  };
}
