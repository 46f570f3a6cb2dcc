import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type * as oidc from 'openid-client';
import { clientRecordFrom } from '../../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../../src/domain/clients/client-definition.js';
import { sleep } from '../support/clock.js';
import { FormBrowser } from '../support/form-browser.js';
import type { TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { OPERATOR, addMember, createOrganization } from '../support/tenancy.js';

export const PASSWORD = 'correct horse battery';
export const SECRET = 'sessions-app-secret-0123456789abcdef';
export const SCOPE = 'openid email organization';
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** One logout token an application's back-channel endpoint received, and what it answered. */
export interface LogoutReceipt {
  token: string;
  status: number;
}

/**
 * A relying party's back-channel logout endpoint (OIDC Back-Channel Logout 1.0 §2.5), a real
 * HTTP server: it answers each POST with `answer(n)` (n: the requests before it).
 */
export async function startLogoutReceiver(answer: (earlier: number) => number = () => 200) {
  const receipts: LogoutReceipt[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const status = answer(receipts.length);
      receipts.push({ token: new URLSearchParams(body).get('logout_token') ?? '', status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backchannel-logout`,
    receipts,
    /** Waits up to `ms` for `count` logout tokens; true when they came. */
    async arrival(count: number, ms: number): Promise<boolean> {
      for (let waited = 0; receipts.length < count && waited < ms; waited += 50) await sleep(50);
      return receipts.length >= count;
    },
    /** Waits (up to 15 s) until `count` logout tokens came in. */
    async received(count: number): Promise<LogoutReceipt[]> {
      await this.arrival(count, 15_000);
      expect(receipts.length).toBeGreaterThanOrEqual(count);
      return receipts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type LogoutReceiver = Awaited<ReturnType<typeof startLogoutReceiver>>;

/** Checks a logout token as §2.6 asks an RP to: signature (the JWKS), iss, aud, events, no nonce. */
export async function verifyLogoutToken(
  issuer: string,
  clientId: string,
  token: string,
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${issuer}/jwks`)), {
    issuer,
    audience: clientId,
  });
  expect(payload.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
  expect(payload.nonce).toBeUndefined();
  expect(payload.jti).toEqual(expect.any(String));
  return payload;
}

/**
 * A confidential first-party application with a back-channel logout URI that requires the
 * session's `sid` (so its ID tokens carry one).
 */
export async function sessionApp(gh: TestGatehouse, backchannelUri?: string) {
  const clientId = `sessions-${randomUUID()}`;
  const definition = clientDefinitionSchema.parse({
    client_id: clientId,
    client_secret: SECRET,
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: ['http://127.0.0.1:9/'],
    scopes: ['openid', 'email', 'organization'],
    grant_types: ['authorization_code', 'refresh_token'],
    ...(backchannelUri
      ? { backchannel_logout_uri: backchannelUri, backchannel_logout_session_required: true }
      : {}),
  });
  await gh.container.db.clients.upsert(clientRecordFrom(definition, gh.container.envelope, null, null));
  return { clientId, config: await discover(gh.issuer, clientId, SECRET) };
}

/** An organization with these security policy values, and a member of it. */
export async function organizationWithMember(
  gh: TestGatehouse,
  name: string,
  policies: Record<string, unknown>,
) {
  const organization = await createOrganization(gh, name);
  await gh.container.admin.organizations.update(OPERATOR, organization.id, { security_policies: policies });
  return { organization, member: () => member(gh, organization.id) };
}

/** A new user with a membership in the organization. */
export async function member(gh: TestGatehouse, organizationId: string) {
  const email = `sessions.${randomUUID().slice(0, 8)}@example.test`;
  const userId = await gh.addUser(email, PASSWORD);
  await addMember(gh, organizationId, userId, []);
  return { email, userId };
}

/** A sign-in in a new browser, for the organization, through `route` (another instance, say). */
export async function signIn(
  config: oidc.Configuration,
  email: string,
  organizationId: string,
  route?: (url: string) => string,
) {
  const browser = new FormBrowser(route);
  return loginWithPassword(config, email, PASSWORD, {
    scope: SCOPE,
    browser,
    extra: { organization: organizationId },
  });
}

/** The ID token's `sid` for this application's part of the session. */
export const sidOf = (tokens: { claims(): JWTPayload | undefined }) => tokens.claims()!.sid as string;
