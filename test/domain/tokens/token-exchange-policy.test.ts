import { describe, expect, it } from '@jest/globals';
import {
  ACCESS_TOKEN_TYPE,
  checkExchangeRequest,
  checkSubjectClient,
  chooseResource,
  exchangedLifetime,
  exchangedScope,
  ID_TOKEN_TYPE,
  IMPERSONATION_TOKEN_TYPE,
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
  const selfOnly = { delegation: false, impersonation: false };
  const delegating = { delegation: true, impersonation: false };
  const support = { delegation: false, impersonation: true };

  it('takes an access token as subject and issues an access token or a JWT', () => {
    expect(() => checkExchangeRequest(request, selfOnly)).not.toThrow();
    for (const requested_token_type of [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]) {
      expect(() => checkExchangeRequest({ ...request, requested_token_type }, selfOnly)).not.toThrow();
    }
  });

  it('refuses missing parameters and other token types as invalid requests', () => {
    expect(
      refusalOf(() => checkExchangeRequest({ subject_token_type: ACCESS_TOKEN_TYPE }, selfOnly)),
    ).toMatchObject({ reason: 'request', message: "missing required parameter 'subject_token'" });
    expect(
      refusalOf(() => checkExchangeRequest({ ...request, subject_token_type: ID_TOKEN_TYPE }, selfOnly)),
    ).toMatchObject({ reason: 'request', message: 'unsupported subject_token_type' });
    expect(
      refusalOf(() =>
        checkExchangeRequest(
          { ...request, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' },
          selfOnly,
        ),
      ),
    ).toMatchObject({ reason: 'request', message: 'unsupported requested_token_type' });
  });

  it('takes an actor token of a known type from a client allowed to delegate', () => {
    for (const actor_token_type of [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, ID_TOKEN_TYPE]) {
      const delegation = { ...request, actor_token: 'actor', actor_token_type };
      expect(() => checkExchangeRequest(delegation, delegating)).not.toThrow();
    }
  });

  it('refuses half an actor, an unknown actor type, and delegation by a client without the right', () => {
    expect(refusalOf(() => checkExchangeRequest({ ...request, actor_token: 'a' }, delegating))).toMatchObject(
      {
        reason: 'request',
        message: "missing required parameter 'actor_token_type'",
      },
    );
    expect(
      refusalOf(() => checkExchangeRequest({ ...request, actor_token_type: ACCESS_TOKEN_TYPE }, delegating)),
    ).toMatchObject({ reason: 'request' });
    expect(
      refusalOf(() =>
        checkExchangeRequest(
          { ...request, actor_token: 'a', actor_token_type: 'urn:example:saml' },
          delegating,
        ),
      ),
    ).toMatchObject({ reason: 'request', message: 'unsupported actor_token_type' });
    expect(
      refusalOf(() =>
        checkExchangeRequest({ ...request, actor_token: 'a', actor_token_type: ACCESS_TOKEN_TYPE }, selfOnly),
      ),
    ).toMatchObject({ reason: 'client' });
  });

  it('takes an impersonation handle only from a client allowed to, and never with an actor', () => {
    const handle = { subject_token: 'ghimp_x', subject_token_type: IMPERSONATION_TOKEN_TYPE };
    expect(() => checkExchangeRequest(handle, support)).not.toThrow();
    expect(refusalOf(() => checkExchangeRequest(handle, delegating))).toMatchObject({ reason: 'client' });
    expect(
      refusalOf(() =>
        checkExchangeRequest({ ...handle, actor_token: 'a', actor_token_type: ACCESS_TOKEN_TYPE }, support),
      ),
    ).toMatchObject({ reason: 'request' });
  });

  it('accepts subject tokens of the client itself or of the clients its policy names', () => {
    expect(() => checkSubjectClient('app', ['app'])).not.toThrow();
    expect(() => checkSubjectClient('web', ['app', 'web'])).not.toThrow();
    expect(refusalOf(() => checkSubjectClient('other-app', ['app']))).toMatchObject({
      reason: 'subject',
      message: 'the subject token was issued to another client',
    });
    expect(refusalOf(() => checkSubjectClient('other-app', ['app'], 'actor'))).toMatchObject({
      reason: 'actor',
      message: 'the actor token was issued to another client',
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
