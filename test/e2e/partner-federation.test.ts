import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { generate } from 'otplib';
import type * as oidc from 'openid-client';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/domain/tokens/token-exchange-policy.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  atRelyingParty,
  discover,
  loginWithPassword,
  passwordFirstFactor,
  REDIRECT_URI,
  startAuthorization,
} from '../support/relying-party.js';
import { addMember, createOrganization, uniqueSlug } from '../support/tenancy.js';

const SECRET = 'partner-app-secret-that-is-long-enough-0123456789';
const PASSWORD = 'correct horse battery';
const API = `https://api.example.test/partner-${randomUUID()}`;
const SCOPE = 'openid email organization roles offline_access';
const INSIDE = '203.0.113.10';
const OUTSIDE = '198.51.100.9';
const INSIDE_V6 = '2001:db8:1::5';

/** A browser whose requests come through a proxy that names `ip` (TRUST_PROXY is on). */
class ForwardedBrowser extends FormBrowser {
  constructor(private readonly ip: string) {
    super();
  }
  override request(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', this.ip);
    return super.request(url, { ...init, headers });
  }
}

const secretOn = (page: Page) => /<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1] ?? '';

/** Partner federation end to end: trust rules at sign-in, on tokens, at refresh, exchange and freeze. */
describe('partner federation', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let config: oidc.Configuration;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  const clientId = `partner-app-${randomUUID()}`;
  const resourceServer = `partner-rs-${randomUUID()}`;
  const federation = uniqueSlug('broker_trust');
  let brokers: OrganizationRecord;
  let underwriters: OrganizationRecord;
  let cargo: OrganizationRecord;
  let archive: OrganizationRecord;
  let outsiders: OrganizationRecord;
  let underwritersRule: Json;

  const newUser = async (organization: OrganizationRecord, roles: string[]) => {
    const email = `partner-${randomUUID()}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organization.id, id, roles);
    return { id, email };
  };
  const tokenRequest = (body: Record<string, string>, ip: string, client = clientId) =>
    fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': ip,
      },
      body: new URLSearchParams(body),
    });
  const refresh = async (refreshToken: string, ip: string) => {
    const response = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, ip);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const introspect = async (token: string) => {
    const response = await fetch(`${gh.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${resourceServer}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    return (await response.json()) as Json;
  };
  /** Password sign-in asking for `organization` from `ip`, up to whatever page comes next. */
  const passwordStep = (
    email: string,
    organization: string,
    ip = INSIDE,
    browser = new ForwardedBrowser(ip),
  ) =>
    passwordFirstFactor(config, browser, email, PASSWORD, { scope: SCOPE, extra: { organization } }).then(
      (flow) => ({ ...flow, browser }),
    );
  /** From the TOTP set-up page to the application: the second factor, the codes, consent. */
  const enrolAndFinish = async (browser: FormBrowser, enrol: Page) => {
    expect(enrol.body).toContain('Set up two-step verification');
    const codes = await browser.submit(enrol, '/mfa/enrol', {
      code: await generate({ secret: secretOn(enrol) }),
    });
    return consentIfAsked(
      browser,
      await browser.follow(await browser.submit(codes, '/mfa/done'), atRelyingParty),
    );
  };
  const consentIfAsked = async (browser: FormBrowser, page: Page) =>
    !atRelyingParty(page.url) && page.body.includes('/confirm')
      ? browser.follow(await browser.submit(page, '/confirm'), atRelyingParty)
      : page;

  beforeAll(async () => {
    gh = await startGatehouse({ TRUST_PROXY: 'true' });
    jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'email', 'organization', 'roles', 'offline_access'],
    });
    await gh.addClient({
      client_id: `${clientId}-api`,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', TOKEN_EXCHANGE_GRANT],
      scopes: ['openid', 'organization', 'roles', 'quotes:write'],
      resources: [API],
    });
    await gh.addClient({
      client_id: resourceServer,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
    });
    brokers = await createOrganization(gh, 'Broker Network', {
      roles: [{ name: 'broker', permissions: ['submit_policies', 'view_quotes'] }],
    });
    underwriters = await createOrganization(gh, 'Maritime Underwriters', {
      roles: [{ name: 'senior_underwriter', permissions: ['*', 'manage_users'], admin: true }],
    });
    cargo = await createOrganization(gh, 'Marine Cargo', {
      roles: [{ name: 'cargo_specialist', permissions: ['cargo_underwriting'] }],
    });
    archive = await createOrganization(gh, 'Archive');
    outsiders = await createOrganization(gh, 'Outsiders', {
      roles: [{ name: 'member', permissions: ['outsider'] }],
    });
    api = adminApi(gh, await adminKey(gh));
    const members = [brokers, underwriters, cargo, archive, outsiders].map((org) => org.slug);
    await api.expect(201, '/federations', { method: 'POST', json: { slug: federation, members } });
    const rule = (json: Json) =>
      api.expect(201, `/federations/${federation}/rules`, { method: 'POST', json });
    underwritersRule = await rule({
      source: brokers.slug,
      target: underwriters.slug,
      permissions: ['submit_quotes', 'view_bound_policies'],
      requires_mfa: true,
      ip_restrictions: ['203.0.113.0/24'],
    });
    await rule({
      source: brokers.slug,
      target: cargo.id,
      permissions: ['view_cargo'],
      ip_restrictions: ['2001:db8::/32', '203.0.113.0/24'],
    });
    await rule({
      source: brokers.slug,
      target: archive.slug,
      permissions: ['read'],
      valid_until: '2020-01-01T00:00:00Z',
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(() => gh?.stop());

  it("a partner gets exactly the rule's permissions and home claims, after the MFA the rule asks for", async () => {
    const user = await newUser(brokers, ['broker']);
    const { page, browser, finish } = await passwordStep(user.email, underwriters.slug);
    // The rule requires MFA: the password alone does not reach the application.
    expect(atRelyingParty(page.url)).toBe(false);
    const back = await enrolAndFinish(browser, page);
    const tokens = await finish(back.url);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      sub: user.id,
      org_id: underwriters.id,
      org_slug: underwriters.slug,
      roles: [],
      permissions: ['submit_quotes', 'view_bound_policies'],
      home_org_id: brokers.id,
      home_org_slug: brokers.slug,
      federation,
    });
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp']));
    // Never the target's roles, even with a role of the same permissions string there.
    expect(JSON.stringify(claims)).not.toContain('senior_underwriter');
    const introspected = await introspect(tokens.access_token);
    expect(introspected).toMatchObject({ active: true, sub: user.id });

    const audit = await gh.container.db.audit.list(
      { action: 'federation.partner_access', targetId: String(underwritersRule.id) },
      { limit: 50 },
    );
    expect(
      audit.some((record) => record.actor.id === user.id && record.organizationId === underwriters.id),
    ).toBe(true);
  });

  it('steps up a session without a second factor when the partner organization requires one', async () => {
    const user = await newUser(brokers, ['broker']);
    const browser = new ForwardedBrowser(INSIDE);
    const home = await loginWithPassword(config, user.email, PASSWORD, {
      scope: SCOPE,
      browser,
      extra: { organization: brokers.slug },
    });
    expect(home.tokens.claims()).toMatchObject({ org_id: brokers.id, roles: ['broker'] });
    expect(home.tokens.claims()?.home_org_id).toBeUndefined();

    const { page, finish } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { organization: underwriters.slug },
    });
    expect(page.body).not.toContain('name="password"');
    const back = await enrolAndFinish(browser, page);
    expect((await finish(back.url)).claims()).toMatchObject({
      org_id: underwriters.id,
      permissions: ['submit_quotes', 'view_bound_policies'],
      home_org_slug: brokers.slug,
    });
  });

  it('refuses a user of an organization no rule names, and a partner outside the networks or the window', async () => {
    const outsider = await newUser(outsiders, ['member']);
    const refused = await passwordStep(outsider.email, underwriters.slug);
    expect(atRelyingParty(refused.page.url)).toBe(true);
    expect(new URL(refused.page.url).searchParams.get('error')).toBe('access_denied');

    const partner = await newUser(brokers, ['broker']);
    const elsewhere = await passwordStep(partner.email, underwriters.slug, OUTSIDE);
    expect(elsewhere.page.status).toBe(403);
    expect(elsewhere.page.body).toContain('only from approved networks');
    // IPv4-mapped IPv6, as a dual-stack proxy may forward it: still outside.
    const mapped = await passwordStep(partner.email, cargo.slug, `::ffff:${OUTSIDE}`);
    expect(mapped.page.status).toBe(403);

    const expired = await passwordStep(partner.email, archive.slug);
    expect(expired.page.status).toBe(403);
    expect(expired.page.body).toContain('not in force');
  });

  it('admits a partner from an IPv6 range, and refuses the refresh from outside the ranges', async () => {
    const partner = await newUser(brokers, ['broker']);
    const flow = await passwordStep(partner.email, cargo.slug, INSIDE_V6);
    const tokens = await flow.finish((await consentIfAsked(flow.browser, flow.page)).url);
    expect(tokens.claims()).toMatchObject({ org_id: cargo.id, permissions: ['view_cargo'], roles: [] });

    const outside = await refresh(tokens.refresh_token!, OUTSIDE);
    expect(outside).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  });

  it('token exchange into the target yields the same permissions, under the same conditions', async () => {
    const partner = await newUser(brokers, ['broker']);
    const apiConfig = await discover(gh.issuer, `${clientId}-api`, SECRET);
    const { tokens } = await loginWithPassword(apiConfig, partner.email, PASSWORD, {
      scope: 'openid organization roles quotes:write',
      browser: new ForwardedBrowser(INSIDE),
      extra: { organization: brokers.slug, resource: API },
    });
    const exchange = async (organization: string, ip: string) => {
      const response = await tokenRequest(
        {
          grant_type: TOKEN_EXCHANGE_GRANT,
          subject_token: tokens.access_token,
          subject_token_type: ACCESS_TOKEN_TYPE,
          resource: API,
          organization,
        },
        ip,
        `${clientId}-api`,
      );
      return { status: response.status, body: (await response.json()) as Json };
    };
    const exchanged = await exchange(cargo.slug, INSIDE_V6);
    expect(exchanged.status).toBe(200);
    const { payload } = await jwtVerify(String(exchanged.body.access_token), jwks, {
      issuer: gh.issuer,
      audience: API,
    });
    expect(payload).toMatchObject({
      sub: partner.id,
      org_id: cargo.id,
      roles: [],
      permissions: ['view_cargo'],
      home_org_id: brokers.id,
      home_org_slug: brokers.slug,
      federation,
    });
    expect((await introspect(String(exchanged.body.access_token))).active).toBe(true);

    expect(await exchange(cargo.slug, OUTSIDE)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // The subject token shows no second factor; the underwriters' rule asks for one.
    const noMfa = await exchange(underwriters.slug, INSIDE);
    expect(noMfa).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(String(noMfa.body.error_description)).toContain('two-step verification');
  });

  it("freezing the federation ends partners' refresh, introspection and sign-in; unfreezing restores sign-in", async () => {
    const partner = await newUser(brokers, ['broker']);
    const flow = await passwordStep(partner.email, cargo.slug);
    const tokens = await flow.finish((await consentIfAsked(flow.browser, flow.page)).url);
    const renewed = await refresh(tokens.refresh_token!, INSIDE);
    expect(renewed.status).toBe(200);
    expect((await introspect(String(renewed.body.access_token))).active).toBe(true);

    const frozen = await api.expect(200, `/federations/${federation}/freeze`, {
      method: 'POST',
      json: { reason: 'incident 42' },
    });
    expect(frozen).toMatchObject({
      slug: federation,
      frozen_reason: 'incident 42',
      frozen_at: expect.any(String),
    });
    expect(await refresh(String(renewed.body.refresh_token), INSIDE)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await introspect(String(renewed.body.access_token))).active).toBe(false);
    const during = await passwordStep(partner.email, cargo.slug);
    expect(during.page.status).toBe(403);
    expect(during.page.body).toContain('suspended by the operator');
    // Members of the target are not partners: the freeze leaves them alone.
    const member = await newUser(cargo, ['cargo_specialist']);
    const own = await passwordStep(member.email, cargo.slug);
    expect((await own.finish((await consentIfAsked(own.browser, own.page)).url)).claims()).toMatchObject({
      roles: ['cargo_specialist'],
    });

    await api.expect(200, `/federations/${federation}/unfreeze`, { method: 'POST' });
    const after = await passwordStep(partner.email, cargo.slug);
    const again = await after.finish((await consentIfAsked(after.browser, after.page)).url);
    expect(again.claims()).toMatchObject({ org_id: cargo.id, permissions: ['view_cargo'], federation });
    const actions = (
      await gh.container.db.audit.list(
        { targetType: 'federation', actionPrefix: 'federation.' },
        { limit: 200 },
      )
    )
      .filter((record) => record.targetId === frozen.id)
      .map((record) => record.action);
    expect(actions).toEqual(
      expect.arrayContaining(['federation.create', 'federation.freeze', 'federation.unfreeze']),
    );
  });

  it('admin API: environment keys only, members and rules checked', async () => {
    const scoped = adminApi(gh, await adminKey(gh, brokers.slug));
    await expectProblem(await scoped.call(`/federations/${federation}`), 404, 'not_found');
    await expectProblem(await scoped.call('/federations'), 404, 'not_found');
    await expectProblem(
      await scoped.call(`/federations/${federation}/freeze`, { method: 'POST', json: { reason: 'x' } }),
      404,
      'not_found',
    );
    const shown = await api.expect(200, `/federations/${federation}`);
    expect(shown.members.map((member: Json) => member.slug)).toEqual(expect.arrayContaining([brokers.slug]));
    expect(shown.rules).toHaveLength(3);
    await expectProblem(
      await api.call('/federations', { method: 'POST', json: { slug: federation } }),
      409,
      'federation_exists',
    );
    const stranger = await createOrganization(gh, 'Stranger');
    const notMember = await api.call(`/federations/${federation}/rules`, {
      method: 'POST',
      json: { source: stranger.slug, target: brokers.slug, permissions: ['x'] },
    });
    expect(await expectProblem(notMember, 422, 'not_a_member')).toMatchObject({ field: 'source' });
    const badCidr = await api.call(`/federations/${federation}/rules`, {
      method: 'POST',
      json: {
        source: cargo.slug,
        target: brokers.slug,
        permissions: ['x'],
        ip_restrictions: ['10.0.0.0/33'],
      },
    });
    await expectProblem(badCidr, 400, 'invalid_request');
    await expectProblem(
      await api.call(`/federations/${federation}/members/${brokers.slug}`, { method: 'DELETE' }),
      409,
      'member_in_rules',
    );
  });
});
