import { describe, expect, it } from '@jest/globals';
import { clientDefinitionSchema } from '../../../src/domain/clients/client-definition.js';
import { exchangePolicyOf } from '../../../src/domain/tokens/client-exchange-policy.js';
import { TOKEN_EXCHANGE_GRANT } from '../../../src/domain/tokens/token-exchange-policy.js';

const API = 'https://api.example.test/orders';
const DOWNSTREAM = 'https://api.example.test/billing';

describe('a client’s token exchange policy', () => {
  it('defaults to self-exchange only, for its own APIs and API scopes', () => {
    expect(exchangePolicyOf('svc', { resources: [API], resource_scopes: ['orders:read'] })).toEqual({
      subjectClients: ['svc'],
      delegation: false,
      impersonation: false,
      audiences: [API],
      scopes: ['orders:read'],
    });
  });

  it('reads subject clients (itself always first, once), rights, audiences and scopes', () => {
    const policy = exchangePolicyOf('svc', {
      resources: [API],
      resource_scopes: ['orders:read', 'orders:write'],
      token_exchange: {
        subject_clients: ['web', 'svc', 'web'],
        delegation: true,
        impersonation: true,
        audiences: [DOWNSTREAM],
        scopes: ['orders:read'],
      },
    });
    expect(policy).toEqual({
      subjectClients: ['svc', 'web'],
      delegation: true,
      impersonation: true,
      audiences: [DOWNSTREAM],
      scopes: ['orders:read'],
    });
  });

  it('grants nothing beyond self-exchange when stored metadata does not parse', () => {
    const policy = exchangePolicyOf('svc', { resources: [API], token_exchange: { delegation: 'yes' } });
    expect(policy).toMatchObject({ subjectClients: ['svc'], delegation: false, impersonation: false });
  });

  it('is part of the client definition, only with the grant, with audiences standing in for resources', () => {
    const base = { client_id: 'svc', client_secret: 'x'.repeat(40), grant_types: [TOKEN_EXCHANGE_GRANT] };
    expect(
      clientDefinitionSchema.safeParse({ ...base, token_exchange: { audiences: [DOWNSTREAM] } }).success,
    ).toBe(true);
    const issues = (input: object) =>
      clientDefinitionSchema
        .safeParse(input)
        .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues(base)).toEqual([
      ['resources', 'token exchange needs resources (or token_exchange.audiences)'],
    ]);
    expect(
      issues({
        ...base,
        grant_types: ['client_credentials'],
        resources: [API],
        token_exchange: { delegation: true },
      }),
    ).toEqual([['token_exchange', `token_exchange needs the grant type ${TOKEN_EXCHANGE_GRANT}`]]);
    expect(issues({ ...base, resources: [API], token_exchange: { audience: [API] } })?.[0]?.[0]).toBe(
      'token_exchange',
    );
  });
});
