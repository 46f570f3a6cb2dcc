import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import type { ClientDefinition } from '../../src/domain/clients/client-definition.js';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import {
  ACCESS_TOKEN_TYPE,
  ID_TOKEN_TYPE,
  JWT_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
} from '../../src/domain/tokens/token-exchange-policy.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization } from '../support/tenancy.js';

const SECRET = 'delegation-client-secret-long-enough-0123456789';
const PASSWORD = 'correct horse battery';
const API = `https://api.example.test/orders-${randomUUID()}`;
const DOWNSTREAM = `https://api.example.test/billing-${randomUUID()}`;
const LEDGER = `https://api.example.test/ledger-${randomUUID()}`;

/**
 * RFC 8693 delegation between services: a front end's user token reaches the orders service,
 * which exchanges it (naming itself as actor) for a token to the billing API; billing does the
 * same towards the ledger. Each hop's `act` nests the one before (§4.1). Each client's exchange
 * policy says whose tokens it takes, whether it may delegate, and for which APIs and scopes.
 */
describe('RFC 8693 delegation with actor tokens', () => {
  let gh: TestGatehouse;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let organization: OrganizationRecord;
  const id = (name: string) => `${name}-${randomUUID()}`;
  const web = id('web');
  const orders = id('orders-svc');
  const billing = id('billing-svc');
  const stranger = id('stranger-svc');
  const selfOnly = id('self-only');

  const service = (
    clientId: string,
    exchange: NonNullable<ClientDefinition['token_exchange']>,
    scopes: string[] = [],
  ): ClientDefinition => ({
    client_id: clientId,
    client_secret: SECRET,
    grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    resources: [API],
    scopes,
    token_exchange: exchange,
  });

  const post = async (path: string, clientId: string, params: Record<string, string>) => {
    const response = await fetch(`${gh.issuer}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const exchange = (clientId: string, params: Record<string, string>) =>
    post('/token', clientId, {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token_type: ACCESS_TOKEN_TYPE,
      ...params,
    });
  /** The client's own token (client credentials): the client as actor. */
  const serviceToken = async (clientId: string) =>
    String(
      (await post('/token', clientId, { grant_type: 'client_credentials', resource: API })).body.access_token,
    );
  const verify = async (token: unknown, audience: string) =>
    (await jwtVerify(String(token), jwks, { issuer: gh.issuer, audience, typ: 'at+jwt' })).payload;

  /** A member of the organization signed in at the web front end, with a token for the orders API. */
  const signIn = async () => {
    const email = `buyer-${randomUUID()}@example.test`;
    const userId = await gh.addUser(email, PASSWORD);
    await addMember(gh, organization.id, userId, ['buyer']);
    const { tokens } = await loginWithPassword(await discover(gh.issuer, web, SECRET), email, PASSWORD, {
      scope: 'openid organization roles orders:read orders:write',
      extra: { organization: organization.slug, resource: API },
    });
    return { userId, tokens };
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    await gh.addClient({
      client_id: web,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'organization', 'roles', 'orders:read', 'orders:write'],
      resources: [API],
    });
    await gh.addClient(
      service(orders, {
        subject_clients: [web],
        delegation: true,
        audiences: [DOWNSTREAM],
        scopes: ['orders:read'],
      }),
    );
    await gh.addClient(
      service(billing, {
        subject_clients: [orders],
        delegation: true,
        audiences: [LEDGER],
        scopes: ['orders:read'],
      }),
    );
    await gh.addClient(
      service(stranger, { delegation: true, audiences: [DOWNSTREAM], scopes: ['orders:read'] }),
    );
    await gh.addClient(service(selfOnly, { subject_clients: [web], audiences: [DOWNSTREAM] }));
    organization = await createOrganization(gh, 'Delegation Buyers', {
      roles: [{ name: 'buyer', permissions: ['orders:place'] }],
    });
  });
  afterAll(() => gh?.stop());

  it('names the acting service in act, and nests it when the next service acts', async () => {
    const { userId, tokens } = await signIn();
    const first = await exchange(orders, {
      subject_token: tokens.access_token,
      actor_token: await serviceToken(orders),
      actor_token_type: ACCESS_TOKEN_TYPE,
      audience: DOWNSTREAM,
    });
    expect(first.status).toBe(200);
    expect(first.body.scope).toBe('orders:read');
    const hop = await verify(first.body.access_token, DOWNSTREAM);
    expect(hop).toMatchObject({
      sub: userId,
      client_id: orders,
      org_id: organization.id,
      permissions: ['orders:place'],
      act: { sub: orders, client_id: orders },
    });
    expect((hop.act as JWTPayload).act).toBeUndefined();

    const second = await exchange(billing, {
      subject_token: String(first.body.access_token),
      actor_token: await serviceToken(billing),
      actor_token_type: JWT_TOKEN_TYPE,
      audience: LEDGER,
    });
    expect(second.status).toBe(200);
    const nested = await verify(second.body.access_token, LEDGER);
    expect(nested).toMatchObject({ sub: userId, client_id: billing, scope: 'orders:read' });
    // RFC 8693 §4.1: the current actor outermost, the earlier one nested inside it.
    expect(nested.act).toEqual({
      sub: billing,
      client_id: billing,
      act: { sub: orders, client_id: orders },
    });
    expect(nested.exp!).toBeLessThanOrEqual(hop.exp!);
  });

  it('shows act in introspection and keeps it when a delegated token is only narrowed', async () => {
    const { tokens } = await signIn();
    const delegated = await exchange(orders, {
      subject_token: tokens.access_token,
      actor_token: await serviceToken(orders),
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    const introspected = await post('/token/introspection', orders, {
      token: String(delegated.body.access_token),
    });
    expect(introspected.status).toBe(200);
    expect(introspected.body).toMatchObject({
      active: true,
      client_id: orders,
      aud: DOWNSTREAM,
      act: { sub: orders, client_id: orders },
    });
    // Without an actor, billing's exchange of the delegated token still says who acted.
    const narrowed = await exchange(billing, {
      subject_token: String(delegated.body.access_token),
      audience: LEDGER,
    });
    expect((await verify(narrowed.body.access_token, LEDGER)).act).toEqual({
      sub: orders,
      client_id: orders,
    });
  });

  it('takes a signed-in user as actor through an ID token of an accepted client', async () => {
    const { userId, tokens } = await signIn();
    const { userId: supervisor, tokens: supervisorTokens } = await signIn();
    const { status, body } = await exchange(orders, {
      subject_token: tokens.access_token,
      actor_token: supervisorTokens.id_token!,
      actor_token_type: ID_TOKEN_TYPE,
    });
    expect(status).toBe(200);
    expect(await verify(body.access_token, DOWNSTREAM)).toMatchObject({
      sub: userId,
      act: { sub: supervisor, client_id: web },
    });
  });

  it('records each exchange in the audit log without the tokens', async () => {
    const { userId, tokens } = await signIn();
    await exchange(orders, {
      subject_token: tokens.access_token,
      actor_token: await serviceToken(orders),
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    // The record goes out with the next audit round (nobody waits for it): write it now.
    await gh.container.db.audit.drain();
    const [record] = await gh.container.db.audit.list(
      { action: 'token.exchange', targetId: userId },
      { limit: 10 },
    );
    expect(record).toMatchObject({
      organizationId: organization.id,
      actor: { type: 'client', id: orders },
      after: {
        client_id: orders,
        sub: userId,
        subject_client_id: web,
        act: { sub: orders, client_id: orders },
        aud: DOWNSTREAM,
        scope: ['orders:read'],
      },
    });
    expect(JSON.stringify(record)).not.toContain(tokens.access_token);
  });

  it('refuses what the exchange policy does not allow', async () => {
    const { tokens } = await signIn();
    const actor = { actor_token: await serviceToken(orders), actor_token_type: ACCESS_TOKEN_TYPE };
    // A front end the policy does not name.
    expect((await exchange(stranger, { subject_token: tokens.access_token })).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the subject token was issued to another client',
    });
    // An API outside the policy's audiences (even one the client may ask for directly).
    for (const target of [{ audience: API }, { resource: LEDGER }] as Record<string, string>[]) {
      const refused = await exchange(orders, { subject_token: tokens.access_token, ...target });
      expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    }
    // A scope the subject holds but the policy does not give: no upscoping through a service.
    expect(
      (await exchange(orders, { subject_token: tokens.access_token, scope: 'orders:write', ...actor })).body,
    ).toMatchObject({ error: 'invalid_scope', scope: 'orders:write' });
    // Delegation by a client whose policy does not allow it.
    expect((await exchange(selfOnly, { subject_token: tokens.access_token, ...actor })).body).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not exchange with an actor token (delegation)',
    });
  });

  it('refuses bad, expired and foreign actor tokens as invalid_grant and half an actor as invalid_request', async () => {
    const { userId, tokens } = await signIn();
    const [key] = (await gh.container.signingKeys.signingSet()).filter((jwk) => jwk.alg === 'ES256');
    const expired = await new SignJWT({ sub: orders, client_id: orders })
      .setProtectedHeader({ alg: 'ES256', kid: key!.kid, typ: 'at+jwt' })
      .setIssuer(gh.issuer)
      .setAudience(API)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(await importJWK(key!, 'ES256'));
    const cases: Array<[string, string, string]> = [
      ['garbage', ACCESS_TOKEN_TYPE, 'the actor token is not a valid token of this issuer'],
      [expired, ACCESS_TOKEN_TYPE, 'the actor token has expired'],
      [tokens.access_token, ID_TOKEN_TYPE, 'the actor token is not a valid token of this issuer'],
      [await serviceToken(stranger), ACCESS_TOKEN_TYPE, 'the actor token was issued to another client'],
    ];
    for (const [actor_token, actor_token_type, description] of cases) {
      const refused = await exchange(orders, {
        subject_token: tokens.access_token,
        actor_token,
        actor_token_type,
      });
      expect(refused).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: description },
      });
    }
    expect(
      (await exchange(orders, { subject_token: tokens.access_token, actor_token: tokens.id_token! })).body,
    ).toEqual({
      error: 'invalid_request',
      error_description: "missing required parameter 'actor_token_type'",
    });
    // Nothing was issued for the refused requests (nor is anything still to be written).
    await gh.container.db.audit.drain();
    const records = await gh.container.db.audit.list(
      { action: 'token.exchange', targetId: userId },
      { limit: 10 },
    );
    expect(records).toEqual([]);
  });

  it('lets a client credentials token stand for its client only', async () => {
    const config = await discover(gh.issuer, orders, SECRET);
    const own = await oidc.clientCredentialsGrant(config, { resource: API });
    expect((await exchange(orders, { subject_token: own.access_token })).body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'the subject token does not represent a user',
    });
  });
});
