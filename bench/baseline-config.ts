import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { errors, type Configuration } from 'oidc-provider';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import { firstPartyGrant } from '../src/oidc/first-party-grant.js';
import { tokenLifetimes } from '../src/oidc/provider-factory.js';
import { CLIENT_DEFINITIONS, USER } from './settings.js';

/**
 * The bare oidc-provider configuration both baselines share, set up like Gatehouse (same client
 * metadata, scopes, TTLs, token formats, refresh rotation, first-party grants, RS256 ID tokens,
 * ES256 JWT access tokens for resources). Clients are static, so oidc-provider never asks the
 * adapter for them. `adapter` is the only thing that differs: absent, the default in-memory one.
 */
export const ACCOUNT_ID = 'usr_bench';
const ACCESS_TOKEN_TTL = 600;
const noSecrets = { seal: (plain: string) => plain, open: (sealed: string) => sealed };

function clients() {
  return CLIENT_DEFINITIONS.map((definition) => {
    const record = clientRecordFrom(clientDefinitionSchema.parse(definition), noSecrets, null);
    return {
      ...record.metadata,
      client_id: record.id,
      ...(record.secretCiphertext ? { client_secret: record.secretCiphertext } : {}),
    };
  });
}

async function signingKeys() {
  const rsa = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  return [
    { ...(await exportJWK(rsa.privateKey)), kid: 'rs', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.privateKey)), kid: 'es', alg: 'ES256', use: 'sig' },
  ];
}

type ClientLike = {
  metadata(): Record<string, unknown>;
  grantTypeAllowed(type: string): boolean;
  clientId: string;
};
const listed = (client: ClientLike, key: string) => (client.metadata()[key] as string[] | undefined) ?? [];

export async function configuration(adapter?: Configuration['adapter']): Promise<Configuration> {
  return {
    ...(adapter ? { adapter } : {}),
    clients: clients() as never,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: USER.email, email_verified: false, name: USER.name }),
    }),
    jwks: { keys: (await signingKeys()) as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    responseTypes: ['code', 'id_token', 'code id_token', 'none'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    extraClientMetadata: { properties: ['first_party', 'resources', 'resource_scopes'] },
    rotateRefreshToken: true,
    issueRefreshToken: (async (_ctx: unknown, client: ClientLike, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || client.metadata().first_party === true)) as never,
    ttl: tokenLifetimes(ACCESS_TOKEN_TTL),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: firstPartyGrant,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // The same caller policies as Gatehouse's provider.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, client, oneOf) => oneOf ?? listed(client as never, 'resources')[0],
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource, client) => {
          if (!listed(client as never, 'resources').includes(resource)) throw new errors.InvalidTarget();
          return {
            audience: resource,
            scope: listed(client as never, 'resource_scopes').join(' '),
            accessTokenTTL: ACCESS_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
  };
}
