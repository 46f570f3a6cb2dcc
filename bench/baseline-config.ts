import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration } from 'oidc-provider';
import { clientRecordFrom } from '../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../src/domain/clients/client-definition.js';
import { protocolPolicy } from '../src/oidc/protocol-policy.js';
import { CLIENT_DEFINITIONS, USER } from './settings.js';

/**
 * The bare oidc-provider configuration both baselines share: Gatehouse's own protocol policy
 * (src/oidc/protocol-policy.ts: scopes, TTLs, token formats, refresh rotation, first-party
 * grants, caller policies, resource indicators) with static clients, a static account and fresh
 * keys. Clients are static, so oidc-provider never asks the adapter for them. `adapter` is the
 * only thing the two baselines differ in: absent, the default in-memory one.
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

export async function configuration(adapter?: Configuration['adapter']): Promise<Configuration> {
  return {
    ...protocolPolicy(ACCESS_TOKEN_TTL),
    ...(adapter ? { adapter } : {}),
    clients: clients() as never,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: USER.email, email_verified: false, name: USER.name }),
    }),
    jwks: { keys: (await signingKeys()) as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
  };
}
