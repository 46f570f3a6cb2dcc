import { describe, expect, it } from '@jest/globals';
import {
  ACCESS_TOKEN_TYPE,
  checkExchangeRequest,
  checkSubjectClient,
  chooseResource,
  exchangedLifetime,
  exchangedScope,
  JWT_TOKEN_TYPE,
  TokenExchangeRefusal,
} from '../../../src/domain/tokens/token-exchange-policy.js';

const API = 'https://api.example.test/claims';
const OTHER_API = 'https://api.example.test/billing';

/** The refusal a rule throws, for asserting its reason, message and scope together. */
function refusalOf(rule: () => unknown): TokenExchangeRefusal {
  try {
    rule();
  } catch (error) {
    if (error instanceof TokenExchangeRefusal) return error;
    throw error;
  }
  throw new Error('the rule did not refuse');
}

describe('token exchange request', () => {
  const request = { subject_token: 'token', subject_token_type: ACCESS_TOKEN_TYPE };

  it('takes an access token as subject and issues an access token or a JWT', () => {
    expect(() => checkExchangeRequest(request)).not.toThrow();
    for (const requested_token_type of [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]) {
      expect(() => checkExchangeRequest({ ...request, requested_token_type })).not.toThrow();
    }
  });

  it('refuses missing parameters, other token types and actors as invalid requests', () => {
    expect(refusalOf(() => checkExchangeRequest({ subject_token_type: ACCESS_TOKEN_TYPE }))).toMatchObject({
      reason: 'request',
      message: "missing required parameter 'subject_token'",
    });
    expect(
      refusalOf(() =>
        checkExchangeRequest({ ...request, subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
      ),
    ).toMatchObject({ reason: 'request', message: 'unsupported subject_token_type' });
    expect(
      refusalOf(() =>
        checkExchangeRequest({
          ...request,
          requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
        }),
      ),
    ).toMatchObject({ reason: 'request', message: 'unsupported requested_token_type' });
    for (const actor of [{ actor_token: 'a' }, { actor_token_type: ACCESS_TOKEN_TYPE }]) {
      expect(refusalOf(() => checkExchangeRequest({ ...request, ...actor }))).toMatchObject({
        reason: 'request',
        message: 'delegation (actor_token) is not supported yet',
      });
    }
  });

  it('only lets a client exchange its own tokens', () => {
    expect(() => checkSubjectClient('app', 'app')).not.toThrow();
    expect(refusalOf(() => checkSubjectClient('other-app', 'app'))).toMatchObject({
      reason: 'subject',
      message: 'the subject token was issued to another client',
    });
  });
});

describe('token exchange audience', () => {
  it('takes the one requested resource or audience the client may use', () => {
    expect(chooseResource([API], [API, OTHER_API])).toBe(API);
    expect(chooseResource([API, API], [API, OTHER_API])).toBe(API);
  });

  it('defaults to the client’s only API, and needs a choice when it has several', () => {
    expect(chooseResource([], [API])).toBe(API);
    expect(refusalOf(() => chooseResource([], [API, OTHER_API]))).toMatchObject({ reason: 'target' });
    expect(refusalOf(() => chooseResource([], []))).toMatchObject({ reason: 'target' });
  });

  it('refuses an API outside the client’s list, and more than one target', () => {
    expect(refusalOf(() => chooseResource([OTHER_API], [API]))).toMatchObject({
      reason: 'target',
      message: 'this client may not request tokens for that resource',
    });
    expect(refusalOf(() => chooseResource([API, OTHER_API], [API, OTHER_API]))).toMatchObject({
      reason: 'target',
    });
  });
});

describe('token exchange scope', () => {
  const subject = ['claims:read', 'claims:write'];
  const allowed = ['claims:read', 'claims:write', 'claims:admin'];

  it('keeps the subject’s API scopes by default, without OIDC scopes or ones no longer allowed', () => {
    expect(exchangedScope({ requested: undefined, subject, allowed })).toEqual(subject);
    expect(
      exchangedScope({
        requested: undefined,
        subject: ['openid', 'email', ...subject],
        allowed: ['claims:read'],
      }),
    ).toEqual(['claims:read']);
  });

  it('narrows to a requested subset', () => {
    expect(exchangedScope({ requested: ['claims:read'], subject, allowed })).toEqual(['claims:read']);
    expect(exchangedScope({ requested: [], subject, allowed })).toEqual([]);
  });

  it('drops OIDC scopes the subject holds: they are not API scopes', () => {
    expect(
      exchangedScope({ requested: ['openid', 'claims:read'], subject: ['openid', ...subject], allowed }),
    ).toEqual(['claims:read']);
  });

  it('refuses a scope the subject token does not hold, naming it', () => {
    const refusal = refusalOf(() =>
      exchangedScope({ requested: ['claims:read', 'claims:admin'], subject, allowed }),
    );
    expect(refusal).toMatchObject({ reason: 'scope', scope: 'claims:admin' });
    expect(refusal.message).toContain('claims:admin');
  });

  it('refuses a held scope the client may no longer ask for', () => {
    expect(
      refusalOf(() => exchangedScope({ requested: ['claims:write'], subject, allowed: ['claims:read'] })),
    ).toMatchObject({ reason: 'scope', scope: 'claims:write' });
  });
});

describe('token exchange lifetime', () => {
  it('never outlives the subject token', () => {
    expect(exchangedLifetime(300, 1_000 + 3_600, 1_000)).toBe(300);
    expect(exchangedLifetime(300, 1_000 + 42, 1_000)).toBe(42);
    expect(exchangedLifetime(300, 1_042, 1_000.7)).toBe(41);
  });

  it('refuses a subject that has run out', () => {
    expect(refusalOf(() => exchangedLifetime(300, 1_000, 1_000))).toMatchObject({ reason: 'subject' });
  });
});
