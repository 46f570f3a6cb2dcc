import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const SECRET = 'org-app-secret-that-is-long-enough-0123456789';
const RS_SECRET = 'resource-server-secret-long-enough-0123456789';
const PASSWORD = 'correct horse battery';
const API = 'https://api.example.test/claims';
const SCOPE = 'openid email organization roles offline_access';

describe('tenant-scoped tokens', () => {
  let gh: TestGatehouse;
  let clientId: string;
  let config: oidc.Configuration;
  let underwriters: OrganizationRecord;
  let brokers: OrganizationRecord;
  let cargo: OrganizationRecord;

  const newUser = async () => {
    const email = `user-${randomUUID()}@example.test`;
    return { email, id: await gh.addUser(email, PASSWORD) };
  };
  const introspect = async (resourceServer: string, token: string) => {
    const response = await fetch(`${gh.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${resourceServer}:${RS_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    clientId = `org-app-${randomUUID()}`;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'roles', 'offline_access'],
    });
    await gh.addClient({
      client_id: `${clientId}-api`,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'organization', 'roles', 'claims:read'],
      resources: [API],
    });
    underwriters = await createOrganization(gh, 'Underwriters', {
      roles: [
        { name: 'senior_underwriter', permissions: ['*', 'manage_users'], admin: true },
        { name: 'claims_adjuster', permissions: ['view_claims', 'update_claims'] },
      ],
    });
    cargo = await createOrganization(gh, 'Marine Cargo', {
      parent: underwriters.id,
      roles: [{ name: 'cargo_specialist', permissions: ['cargo_underwriting'] }],
    });
    brokers = await createOrganization(gh, 'Brokers', {
      roles: [{ name: 'broker', permissions: ['submit_policies'] }],
    });
    for (const organization of [underwriters, brokers]) {
      await gh.addClient(
        {
          client_id: `rs-${organization.slug}`,
          client_secret: RS_SECRET,
          grant_types: ['client_credentials'],
          redirect_uris: [],
        },
        organization.id,
      );
    }
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(() => gh.stop());

  it('one login, a token per organization, each with only that organization’s roles', async () => {
    const user = await newUser();
    await addMember(gh, underwriters.id, user.id, ['claims_adjuster']);
    await addMember(gh, brokers.id, user.id, ['broker']);
    const browser = new FormBrowser();

    // No organization asked for: a user of two organizations picks one.
    const first = await loginWithPassword(config, user.email, PASSWORD, {
      scope: SCOPE,
      browser,
      pick: brokers.id,
    });
    expect(first.tokens.claims()).toMatchObject({
      sub: user.id,
      org_id: brokers.id,
      org_slug: brokers.slug,
      roles: ['broker'],
      permissions: ['submit_policies'],
    });
    // A refresh stays with the organization of its grant.
    const refreshedFirst = await oidc.refreshTokenGrant(config, first.tokens.refresh_token!);
    expect(refreshedFirst.claims()).toMatchObject({ org_id: brokers.id, roles: ['broker'] });

    // The same browser session asks for the other organization: no password, a different token.
    const second = await loginWithPassword(config, user.email, PASSWORD, {
      scope: SCOPE,
      browser,
      extra: { organization: underwriters.slug },
    });
    const claims = second.tokens.claims()!;
    expect(claims).toMatchObject({ org_id: underwriters.id, roles: ['claims_adjuster'] });
    expect(claims.permissions).toEqual(['update_claims', 'view_claims']);
    expect(JSON.stringify(claims)).not.toContain(brokers.id);

    // The session now holds the new organization's grant for this app; the earlier refresh
    // token ended with the session's old grant (it was session-bound: no prompt=consent) rather
    // than being widened or moved.
    await expect(oidc.refreshTokenGrant(config, refreshedFirst.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const refreshedSecond = await oidc.refreshTokenGrant(config, second.tokens.refresh_token!);
    expect(refreshedSecond.claims()).toMatchObject({ org_id: underwriters.id, roles: ['claims_adjuster'] });
  });

  it('puts the organization, roles and permissions in RFC 9068 access tokens for an API', async () => {
    const user = await newUser();
    await addMember(gh, underwriters.id, user.id, ['senior_underwriter']);
    const apiConfig = await discover(gh.issuer, `${clientId}-api`, SECRET);
    const { tokens } = await loginWithPassword(apiConfig, user.email, PASSWORD, {
      scope: 'openid organization roles claims:read',
      extra: { resource: API },
    });
    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: gh.issuer, audience: API });
    expect(payload).toMatchObject({
      sub: user.id,
      org_id: underwriters.id,
      org_slug: underwriters.slug,
      roles: ['senior_underwriter'],
      permissions: ['*', 'manage_users'],
    });
  });

  it('releases the organization claims in the ID token only for the scopes that name them', async () => {
    const user = await newUser();
    await addMember(gh, brokers.id, user.id, ['broker']);
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, {
      scope: 'openid organization',
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ org_id: brokers.id, org_slug: brokers.slug });
    expect(claims.roles).toBeUndefined();
    expect(claims.permissions).toBeUndefined();
  });

  it('gives a sub-organization member the parent’s roles as well as its own', async () => {
    const user = await newUser();
    await addMember(gh, cargo.id, user.id, ['cargo_specialist', 'claims_adjuster']);
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE });
    expect(tokens.claims()).toMatchObject({
      org_id: cargo.id,
      roles: ['cargo_specialist', 'claims_adjuster'],
      permissions: ['cargo_underwriting', 'update_claims', 'view_claims'],
    });
  });

  it('refuses an organization the user does not belong to, without saying whether it exists', async () => {
    const user = await newUser();
    await addMember(gh, brokers.id, user.id, ['broker']);
    for (const organization of [underwriters.slug, 'no-such-organization']) {
      await expect(
        loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE, extra: { organization } }),
      ).rejects.toMatchObject({
        error: 'access_denied',
        error_description: expect.stringContaining('not a member'),
      });
    }
  });

  it('fails the next refresh once the membership is removed', async () => {
    const user = await newUser();
    await addMember(gh, brokers.id, user.id, ['broker']);
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    await gh.container.admin.memberships.remove(OPERATOR, brokers.id, user.id);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Userinfo with the access token issued before the removal fails as well.
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, user.id)).rejects.toBeDefined();
  });

  it('introspects a token as active only at its own organization’s resource servers', async () => {
    const user = await newUser();
    await addMember(gh, underwriters.id, user.id, ['claims_adjuster']);
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE });
    expect(await introspect(`rs-${underwriters.slug}`, tokens.access_token)).toMatchObject({
      active: true,
      org_id: underwriters.id,
      roles: ['claims_adjuster'],
    });
    expect(await introspect(`rs-${brokers.slug}`, tokens.access_token)).toEqual({ active: false });
    expect(await introspect(`rs-${brokers.slug}`, tokens.refresh_token!)).toEqual({ active: false });
  });

  it('stops a suspended organization’s tokens and sign-ins, and restores them on reactivation', async () => {
    const suspended = await createOrganization(gh, 'Suspended Co', {
      roles: [{ name: 'member', permissions: ['read'] }],
    });
    await gh.addClient(
      {
        client_id: `rs-${suspended.slug}`,
        client_secret: RS_SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
      },
      suspended.id,
    );
    const user = await newUser();
    await addMember(gh, suspended.id, user.id, ['member']);
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE });
    expect(await introspect(`rs-${suspended.slug}`, tokens.access_token)).toMatchObject({ active: true });

    await gh.container.admin.organizations.update(OPERATOR, suspended.id, { status: 'suspended' });
    expect(await introspect(`rs-${suspended.slug}`, tokens.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(
      loginWithPassword(config, user.email, PASSWORD, {
        scope: SCOPE,
        extra: { organization: suspended.slug },
      }),
    ).rejects.toMatchObject({
      error: 'access_denied',
      error_description: expect.stringContaining('suspended'),
    });
    // Someone outside it is not told that it exists, let alone that it is suspended.
    const outsider = await newUser();
    await expect(
      loginWithPassword(config, outsider.email, PASSWORD, {
        scope: SCOPE,
        extra: { organization: suspended.slug },
      }),
    ).rejects.toMatchObject({
      error: 'access_denied',
      error_description: expect.stringContaining('not a member'),
    });

    await gh.container.admin.organizations.update(OPERATOR, suspended.id, { status: 'active' });
    expect(await introspect(`rs-${suspended.slug}`, tokens.access_token)).toMatchObject({ active: true });
  });

  it('issues tokens without organization claims to a user with no organization', async () => {
    const user = await newUser();
    const { tokens } = await loginWithPassword(config, user.email, PASSWORD, { scope: SCOPE });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.org_id).toBeUndefined();
    expect(decodeJwt(tokens.id_token!).roles).toBeUndefined();
  });
});
