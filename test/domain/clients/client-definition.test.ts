import { describe, expect, it } from '@jest/globals';
import { clientDefinitionSchema } from '../../../src/domain/clients/client-definition.js';
import { clientCreateSchema } from '../../../src/domain/organizations/client-input.js';
import { TOKEN_EXCHANGE_GRANT } from '../../../src/domain/tokens/token-exchange-policy.js';

const API = 'https://api.example.test/claims';
const exchanging = {
  client_id: 'exchanging-app',
  client_secret: 's'.repeat(40),
  grant_types: [TOKEN_EXCHANGE_GRANT],
  resources: [API],
};
const pathsOf = (result: { error?: { issues: Array<{ path: PropertyKey[] }> } | undefined }) =>
  result.error?.issues.map((issue) => issue.path.join('.'));

describe('a client that uses token exchange (RFC 8693)', () => {
  it('is a confidential client with the APIs its tokens are for', () => {
    expect(clientDefinitionSchema.parse(exchanging).grant_types).toEqual([TOKEN_EXCHANGE_GRANT]);
  });

  it('may not be public, and needs resources', () => {
    const { client_secret: _secret, ...publicClient } = exchanging;
    expect(pathsOf(clientDefinitionSchema.safeParse(publicClient))).toEqual(['grant_types']);
    expect(pathsOf(clientDefinitionSchema.safeParse({ ...exchanging, resources: [] }))).toEqual([
      'resources',
    ]);
  });

  it('is enabled through the admin API the same way', () => {
    const { client_secret: _secret, ...input } = exchanging;
    expect(clientCreateSchema.parse(input).grant_types).toEqual([TOKEN_EXCHANGE_GRANT]);
    expect(pathsOf(clientCreateSchema.safeParse({ ...input, token_endpoint_auth_method: 'none' }))).toEqual([
      'grant_types',
    ]);
  });
});
