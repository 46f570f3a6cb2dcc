import type { Envelope } from '../../lib/crypto/envelope.js';
import { newId } from '../../lib/ids.js';
import { assertConnectionAllowed, assertFeature } from '../entitlements/entitlement-checks.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors.js';
import type { ConnectionRecord, ConnectionType, NewConnection } from '../ports/connections.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import {
  oidcSettingsSchema,
  samlSettingsSchema,
  usesClientSecret,
  type ConnectionCreate,
  type ConnectionUpdate,
} from './connection-input.js';
import { connectionView, type ConnectionView } from './connection-view.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

/** The associated data that binds a sealed client secret to its connection row. */
export const connectionSecretContext = (id: string) => `connection-secret:${id}`;
/** The associated data that binds a SAML connection's sealed SP private key to its row. */
export const connectionSpKeyContext = (id: string) => `connection-sp-key:${id}`;

/** A SAML connection's own key pair: a self-signed certificate and its private key, both PEM. */
export interface SpCredential {
  certificate: string;
  privateKey: string;
}
/** Makes an SP credential (federation/saml implements it; domain/ only sees this signature). */
export type SpCredentialGenerator = (commonName: string) => Promise<SpCredential>;

/**
 * The SP columns of a new SAML connection: every SAML connection signs its AuthnRequests and
 * decrypts assertions with a key of its own, so a leaked key or a rollover touches one IdP only.
 */
export async function newSpColumns(
  generate: SpCredentialGenerator,
  envelope: Envelope,
  id: string,
): Promise<{ spCertificate: string; spKeyCiphertext: string }> {
  const credential = await generate(`Gatehouse SAML SP ${id}`);
  return {
    spCertificate: credential.certificate,
    spKeyCiphertext: envelope.seal(credential.privateKey, connectionSpKeyContext(id)),
  };
}

/**
 * The row of a new connection from admin input: settings split from the columns, the OIDC client
 * secret sealed under the connection's own context, the SAML SP key pair when there is one.
 */
export function newConnectionRow(
  envelope: Envelope,
  id: string,
  organizationId: string,
  input: ConnectionCreate,
  sp: Partial<Pick<NewConnection, 'spCertificate' | 'spKeyCiphertext'>>,
): NewConnection {
  const secret = input.type === 'oidc' ? input.client_secret : undefined;
  return {
    id,
    organizationId,
    key: input.key,
    type: input.type,
    preset: input.preset ?? null,
    enabled: input.enabled,
    settings: settingsOf(input),
    attributeMap: input.attribute_map,
    secretCiphertext: secret === undefined ? null : envelope.seal(secret, connectionSecretContext(id)),
    ...sp,
    managedBy: null,
  };
}

const SETTINGS_SCHEMA = { oidc: oidcSettingsSchema, saml: samlSettingsSchema } as const;

// Members that are columns of their own; the rest of the input are the type's settings.
export function settingsOf(input: Record<string, unknown>): Record<string, unknown> {
  const {
    key: _key,
    type: _type,
    preset: _preset,
    enabled: _enabled,
    attribute_map: _attributeMap,
    client_secret: _secret,
    ...settings
  } = input;
  return settings;
}

/** The merged settings checked against the type's rules: a PATCH may not leave a broken connection. */
function validSettings(type: ConnectionType, settings: Record<string, unknown>): Record<string, unknown> {
  const result = SETTINGS_SCHEMA[type].safeParse(settings);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new RuleViolationError(
    `${field ?? 'settings'}: ${issue?.message ?? 'invalid'} (for a ${type} connection)`,
    'invalid_connection',
    field,
  );
}

function assertSecretFits(type: ConnectionType, settings: Record<string, unknown>, hasSecret: boolean) {
  if (type === 'saml') {
    if (hasSecret)
      throw new RuleViolationError(
        'SAML connections have no client secret',
        'invalid_connection',
        'client_secret',
      );
    return;
  }
  const method = String(settings.token_endpoint_auth_method);
  const needsSecret = usesClientSecret(method);
  if (needsSecret !== hasSecret) {
    const message = needsSecret
      ? `token_endpoint_auth_method ${method} needs a client_secret`
      : `token_endpoint_auth_method ${method} uses no client_secret; set client_secret to null`;
    throw new RuleViolationError(message, 'invalid_connection', 'client_secret');
  }
}

/** Names the routing rules (numbered from 1) and fallback that send sign-ins to `connection`. */
async function assertNotRouted(
  repos: Repositories,
  organization: OrganizationRecord,
  connection: ConnectionRecord,
): Promise<void> {
  const rules = await repos.routingRules.listFor(organization.id);
  const users = rules.flatMap((rule, index) =>
    rule.connectionId === connection.id ? [`routing rule #${index + 1} (${rule.domain})`] : [],
  );
  if (organization.fallbackConnectionId === connection.id) users.push('the fallback connection');
  if (users.length === 0) return;
  throw new ConflictError(
    `connection ${connection.key} is used by ${users.join(', ')} of ${organization.slug}; change the routing first`,
    'connection_in_use',
  );
}

export interface ConnectionsAdminDeps {
  spCredential: SpCredentialGenerator;
}

/** Upstream identity providers of one organization; every write is scoped and recorded, never the secret. */
export function createConnectionsAdmin(db: Database, envelope: Envelope, deps: ConnectionsAdminDeps) {
  const connectionOf = async (repos: Repositories, organization: OrganizationRecord, key: string) => {
    const connection = await repos.connections.find(organization.id, key);
    if (!connection) throw new NotFoundError(`connection ${key}`);
    return connection;
  };
  const record = (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    before: ConnectionRecord | null,
    after: ConnectionRecord | null,
  ) => {
    const target = (after ?? before) as ConnectionRecord;
    return recordChange(repos, principal.actor, {
      organizationId: target.organizationId,
      action,
      targetType: 'connection',
      targetId: target.id,
      before: before && connectionView(before),
      after: after && connectionView(after),
    });
  };

  return {
    async list(principal: AdminPrincipal, orgRef: string): Promise<ConnectionView[]> {
      const organization = await visibleOrganization(db, principal, orgRef);
      return (await db.connections.listFor(organization.id)).map(connectionView);
    },

    async get(principal: AdminPrincipal, orgRef: string, key: string): Promise<ConnectionView> {
      return connectionView(await connectionOf(db, await visibleOrganization(db, principal, orgRef), key));
    },

    async create(
      principal: AdminPrincipal,
      orgRef: string,
      input: ConnectionCreate,
    ): Promise<ConnectionView> {
      const id = newId('con');
      let sp = {};
      if (input.type === 'saml') {
        // Key generation takes a moment: after the scope check (no work for outsiders) and before
        // the transaction (not while it holds a database connection).
        await assertConnectionAllowed(db, (await visibleOrganization(db, principal, orgRef)).id);
        sp = await newSpColumns(deps.spCredential, envelope, id);
      }
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        // The plan: SSO included, and room under the contract's connection quota.
        await assertConnectionAllowed(repos, organization.id);
        const connection = await repos.connections.create(
          newConnectionRow(envelope, id, organization.id, input, sp),
        );
        await record(repos, principal, 'connection.create', null, connection);
        return connectionView(connection);
      });
    },

    update(
      principal: AdminPrincipal,
      orgRef: string,
      key: string,
      changes: ConnectionUpdate,
    ): Promise<ConnectionView> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await connectionOf(repos, organization, key);
        if (changes.enabled && !before.enabled) await assertFeature(repos, organization.id, 'sso');
        const merged = Object.fromEntries(
          Object.entries({ ...before.settings, ...settingsOf(changes) }).filter(
            ([, value]) => value !== null,
          ),
        );
        const settings = validSettings(before.type, merged);
        const otherType = before.type === 'oidc' ? 'saml' : 'oidc';
        if (changes.preset === otherType) {
          throw new RuleViolationError(
            `preset ${otherType} does not fit a ${before.type} connection`,
            'invalid_connection',
            'preset',
          );
        }
        const secret = changes.client_secret;
        const secretCiphertext =
          secret === undefined
            ? before.secretCiphertext
            : secret && envelope.seal(secret, connectionSecretContext(before.id));
        assertSecretFits(before.type, settings, secretCiphertext !== null);
        const after = await repos.connections.update(before.id, {
          preset: changes.preset === undefined ? undefined : changes.preset,
          enabled: changes.enabled,
          attributeMap: changes.attribute_map,
          settings,
          secretCiphertext,
          // Metadata fetched from another URL describes another IdP: fetch it again on next use.
          ...(settings.idp_metadata_url !== before.settings.idp_metadata_url
            ? { upstreamMetadata: null }
            : {}),
        });
        await record(repos, principal, 'connection.update', before, after);
        return connectionView(after);
      });
    },

    /**
     * A new SP key pair for a SAML connection (a suspected leak, an expiring certificate, or a
     * connection made before SP keys existed). It takes effect at once: the IdP must be given the
     * new SP metadata for signed requests and encrypted assertions to keep working.
     */
    async rotateSpCredential(
      principal: AdminPrincipal,
      orgRef: string,
      key: string,
    ): Promise<ConnectionView> {
      const current = await connectionOf(db, await visibleOrganization(db, principal, orgRef), key);
      if (current.type !== 'saml') {
        throw new RuleViolationError('only SAML connections have an SP key pair', 'invalid_connection');
      }
      const columns = await newSpColumns(deps.spCredential, envelope, current.id);
      return db.transaction(async (repos) => {
        const before = await connectionOf(repos, await visibleOrganization(repos, principal, orgRef), key);
        const after = await repos.connections.update(before.id, columns);
        await record(repos, principal, 'connection.rotate_sp_credential', before, after);
        return connectionView(after);
      });
    },

    /** Refused while routing refers to the connection: sign-ins would otherwise lose their IdP unseen. */
    remove(principal: AdminPrincipal, orgRef: string, key: string): Promise<void> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await connectionOf(repos, organization, key);
        await assertNotRouted(repos, organization, before);
        await repos.connections.delete(before.id);
        await record(repos, principal, 'connection.delete', before, null);
      });
    },
  };
}
export type ConnectionsAdmin = ReturnType<typeof createConnectionsAdmin>;
