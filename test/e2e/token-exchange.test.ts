import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createRemoteJWKSet,
  decodeJwt,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from 'jose';
import * as oidc from 'openid-client';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/domain/tokens/token-exchange-policy.js';
import type { ClientDefinition } from '../../src/domain/clients/client-definition.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const SECRET = 'exchange-app-secret-that-is-long-enough-0123456789';
const PASSWORD = 'correct horse battery';
const API = `https://api.example.test/exchange-${randomUUID()}`;
const OTHER_API = `https://api.example.test/other-${randomUUID()}`;
const SECOND_API = `https://api.example.test/second-${randomUUID()}`;
const SCOPE = 'openid organization roles claims:read claims:write';

describe('RFC 8693 token exchange', () => {
  let gh: TestGatehouse;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  const app = `exchange-app-${randomUUID()}`;
  const sibling = `exchange-sibling-${randomUUID()}`;
  const plain = `exchange-plain-${randomUUID()}`;
  /** Two APIs: no default resource, so a sign-in without one yields an opaque userinfo token. */
  const twoApis = `exchange-two-apis-${randomUUID()}`;
  let alpha: OrganizationRecord;
  let beta: OrganizationRecord;
  let gamma: OrganizationRecord;

  /** A client definition for `resources`, which may exchange tokens when `grants` say so. */
  const client = (
    clientId: string,
    grants: NonNullable<ClientDefinition['grant_types']>,
    resources = [API],
  ): ClientDefinition => ({
    client_id: clientId,
    client_secret: SECRET,
    redirect_uris: [REDIRECT_URI],
    grant_types: grants,
    scopes: ['openid', 'organization', 'roles', 'claims:read', 'claims:write'],
    resources,
  });

  /** A user of alpha and beta, signed in to `clientId` for alpha with a JWT access token for API. */
  const signIn = async (clientId = app, extra: Record<string, string> = { resource: API }) => {
    const email = `user-${randomUUID()}@example.test`;
    const userId = await gh.addUser(email, PASSWORD);
    await addMember(gh, alpha.id, userId, ['underwriter']);
    await addMember(gh, beta.id, userId, ['broker']);
    const config = await discover(gh.issuer, clientId, SECRET);
    const { tokens } = await loginWithPassword(config, email, PASSWORD, {
      scope: SCOPE,
      extra: { organization: alpha.slug, ...extra },
    });
    return { userId, tokens, accessToken: tokens.access_token };
  };

  const exchange = async (params: Record<string, string>, clientId = app) => {
    const response = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token_type: ACCESS_TOKEN_TYPE,
        ...params,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const verify = async (token: unknown, audience = API) =>
    (await jwtVerify(String(token), jwks, { issuer: gh.issuer, audience, typ: 'at+jwt' })).payload;

  /** An access token signed with this Gatehouse's own current ES256 key, with the given claims. */
  const ownToken = async (claims: JWTPayload, exp: number) => {
    const [key] = (await gh.container.signingKeys.signingSet()).filter((jwk) => jwk.alg === 'ES256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key!.kid, typ: 'at+jwt' })
      .setIssuer(gh.issuer)
      .setAudience(API)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(await importJWK(key!, 'ES256'));
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const grants: NonNullable<ClientDefinition['grant_types']> = [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      TOKEN_EXCHANGE_GRANT,
    ];
    await gh.addClient(client(app, grants));
    await gh.addClient(client(sibling, grants));
    await gh.addClient(client(plain, ['authorization_code', 'refresh_token']));
    await gh.addClient(client(twoApis, grants, [API, SECOND_API]));
    alpha = await createOrganization(gh, 'Alpha Underwriting', {
      roles: [{ name: 'underwriter', permissions: ['alpha:underwrite', 'alpha:read'] }],
    });
    beta = await createOrganization(gh, 'Beta Brokers', {
      roles: [{ name: 'broker', permissions: ['beta:submit'] }],
    });
    gamma = await createOrganization(gh, 'Gamma Cargo', {
      roles: [{ name: 'member', permissions: ['gamma:read'] }],
    });
  });
  afterAll(() => gh?.stop());

  it('lists the grant in discovery', async () => {
    const metadata = (await (await fetch(`${gh.issuer}/.well-known/openid-configuration`)).json()) as {
      grant_types_supported: string[];
    };
    expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT);
  });

  it('exchanges a token for another organization, with only that organization’s roles', async () => {
    const { userId, accessToken } = await signIn();
    const subject = await verify(accessToken);
    expect(subject).toMatchObject({ org_id: alpha.id, roles: ['underwriter'] });

    const { status, body } = await exchange({ subject_token: accessToken, organization: beta.slug });
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.any(String),
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      scope: 'claims:read claims:write',
    });
    const issued = await verify(body.access_token);
    expect(issued).toMatchObject({
      sub: userId,
      client_id: app,
      aud: API,
      scope: 'claims:read claims:write',
      org_id: beta.id,
      org_slug: beta.slug,
      roles: ['broker'],
      permissions: ['beta:submit'],
    });
    const text = JSON.stringify(issued);
    for (const leaked of [alpha.id, alpha.slug, 'underwriter', 'alpha:read'])
      expect(text).not.toContain(leaked);
    // RFC 8693 §2.2: the exchange never extends the subject token's life.
    expect(issued.exp!).toBeLessThanOrEqual(subject.exp!);
    expect(body.expires_in as number).toBeLessThanOrEqual(subject.exp! - Math.floor(Date.now() / 1000) + 1);

    // The same by id, and without `organization` the subject's own organization is kept.
    const byId = await exchange({ subject_token: accessToken, organization: beta.id });
    expect(await verify(byId.body.access_token)).toMatchObject({ org_id: beta.id });
    const kept = await exchange({ subject_token: accessToken });
    expect(await verify(kept.body.access_token)).toMatchObject({
      org_id: alpha.id,
      roles: ['underwriter'],
      permissions: ['alpha:read', 'alpha:underwrite'],
    });
  });

  it('narrows the scope on request and refuses to widen it', async () => {
    const { accessToken } = await signIn();
    const narrowed = await exchange({ subject_token: accessToken, scope: 'claims:read', audience: API });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('claims:read');
    expect(await verify(narrowed.body.access_token)).toMatchObject({ scope: 'claims:read' });

    // The narrowed token cannot be exchanged back up, nor can any token gain a scope.
    const widened = await exchange({
      subject_token: String(narrowed.body.access_token),
      scope: 'claims:write',
    });
    expect(widened).toEqual({
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: expect.stringContaining('claims:write'),
        scope: 'claims:write',
      },
    });
    const unknown = await exchange({ subject_token: accessToken, scope: 'claims:read claims:admin' });
    expect(unknown.body).toMatchObject({ error: 'invalid_scope', scope: 'claims:admin' });
  });

  it('refuses an API the client may not ask for', async () => {
    const { accessToken } = await signIn();
    for (const target of [{ resource: OTHER_API }, { audience: OTHER_API }] as Record<string, string>[]) {
      const { status, body } = await exchange({ subject_token: accessToken, ...target });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: 'invalid_target' });
    }
  });

  it('refuses an organization without membership in the same words whether or not it exists', async () => {
    const { accessToken } = await signIn();
    const answers = [];
    for (const organization of [gamma.slug, gamma.id, 'no-such-organization', 'org_nosuchorganization']) {
      answers.push(await exchange({ subject_token: accessToken, organization }));
    }
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 400,
        body: { error: 'invalid_target', error_description: 'not a member of that organization' },
      });
    }
  });

  it('stops switching into an organization once the membership there is removed or suspended', async () => {
    const { userId, accessToken } = await signIn();
    expect((await exchange({ subject_token: accessToken, organization: beta.slug })).status).toBe(200);
    await gh.container.admin.memberships.remove(OPERATOR, beta.id, userId);
    expect((await exchange({ subject_token: accessToken, organization: beta.slug })).body).toEqual({
      error: 'invalid_target',
      error_description: 'not a member of that organization',
    });

    const suspended = await createOrganization(gh, 'Suspended Exchange', {
      roles: [{ name: 'member', permissions: ['read'] }],
    });
    await addMember(gh, suspended.id, userId, ['member']);
    expect((await exchange({ subject_token: accessToken, organization: suspended.slug })).status).toBe(200);
    await gh.container.admin.organizations.update(OPERATOR, suspended.id, { status: 'suspended' });
    expect((await exchange({ subject_token: accessToken, organization: suspended.slug })).body).toMatchObject(
      {
        error: 'invalid_target',
      },
    );
  });

  it('refuses to keep an organization whose access has ended, but may switch to a current one', async () => {
    const { userId, accessToken } = await signIn();
    await gh.container.admin.memberships.remove(OPERATOR, alpha.id, userId);
    expect((await exchange({ subject_token: accessToken })).body).toMatchObject({ error: 'invalid_grant' });
    // Nothing of alpha is carried into a token for beta, where the user is still a member.
    const switched = await exchange({ subject_token: accessToken, organization: beta.slug });
    expect(decodeJwt(switched.body.access_token as string)).toMatchObject({ org_id: beta.id });
  });

  it('refuses expired, garbage, foreign and ID tokens as invalid_grant', async () => {
    const { userId, tokens } = await signIn();
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: userId, client_id: app, scope: 'claims:read', org_id: alpha.id };
    const expired = await ownToken(claims, now - 5);
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(gh.issuer)
      .setAudience(API)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    for (const subject_token of [expired, foreign, tokens.id_token!, 'garbage', 'a.b.c']) {
      const { status, body } = await exchange({ subject_token });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: 'invalid_grant' });
    }
    expect((await exchange({ subject_token: expired })).body.error_description).toBe(
      'the subject token has expired',
    );
  });

  it('cuts the issued token’s life to what is left of the subject’s', async () => {
    const { userId } = await signIn();
    const exp = Math.floor(Date.now() / 1000) + 30;
    const subject = await ownToken(
      { sub: userId, client_id: app, scope: 'claims:read', org_id: alpha.id },
      exp,
    );
    const { status, body } = await exchange({ subject_token: subject, organization: beta.slug });
    expect(status).toBe(200);
    expect(body.expires_in as number).toBeLessThanOrEqual(30);
    expect((await verify(body.access_token)).exp).toBeLessThanOrEqual(exp);
  });

  it('only exchanges tokens issued to the requesting client', async () => {
    const { accessToken } = await signIn(sibling);
    expect(await exchange({ subject_token: accessToken })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the subject token was issued to another client' },
    });
  });

  it('refuses a client credentials token: it speaks for no user', async () => {
    const config = await discover(gh.issuer, app, SECRET);
    const service = await oidc.clientCredentialsGrant(config, { resource: API, scope: 'claims:read' });
    expect((await exchange({ subject_token: service.access_token })).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the subject token does not represent a user',
    });
  });

  it('exchanges an opaque userinfo token for an API token, and not once it is revoked', async () => {
    const { userId, tokens } = await signIn(twoApis, {});
    expect(tokens.access_token.split('.')).toHaveLength(1);
    // With two APIs the client must name one.
    expect((await exchange({ subject_token: tokens.access_token }, twoApis)).body).toMatchObject({
      error: 'invalid_target',
    });
    const { status, body } = await exchange({ subject_token: tokens.access_token, resource: API }, twoApis);
    expect(status).toBe(200);
    // The opaque token held OIDC scopes only: the API token gets the organization, no API scope.
    expect(body.scope).toBeUndefined();
    expect(await verify(body.access_token)).toMatchObject({
      sub: userId,
      org_id: alpha.id,
      roles: ['underwriter'],
    });
    expect(decodeJwt(String(body.access_token)).scope).toBeUndefined();

    const config = await discover(gh.issuer, twoApis, SECRET);
    await oidc.tokenRevocation(config, tokens.access_token);
    expect(
      (await exchange({ subject_token: tokens.access_token, resource: API }, twoApis)).body,
    ).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('answers protocol errors for malformed requests, unpermitted delegation and clients without the grant', async () => {
    const { accessToken } = await signIn();
    expect(
      (
        await exchange({
          subject_token: accessToken,
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        })
      ).body,
    ).toEqual({ error: 'invalid_request', error_description: 'unsupported subject_token_type' });
    expect((await exchange({})).body).toMatchObject({ error: 'invalid_request' });
    expect(
      (
        await exchange({
          subject_token: accessToken,
          actor_token: accessToken,
          actor_token_type: ACCESS_TOKEN_TYPE,
        })
      ).body,
    ).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not exchange with an actor token (delegation)',
    });
    // RFC 6749 §5.2: authenticated, but not registered for this grant type.
    const unauthorized = await exchange({ subject_token: accessToken }, plain);
    expect(unauthorized.status).toBe(400);
    expect(unauthorized.body).toMatchObject({ error: 'unauthorized_client' });
  });
});
