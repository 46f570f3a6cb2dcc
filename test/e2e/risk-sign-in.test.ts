import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import type { GeoLocation } from '../../src/domain/ports/risk.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/domain/tokens/token-exchange-policy.js';
import { adminApi, expectProblem } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { atRelyingParty, discover, passwordFirstFactor, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';
import { gatehouseInProcess } from '../cli/config-in-process.js';

const PASSWORD = 'correct horse battery';
const SECRET = 'risk-app-secret-0123456789abcdef0123';
const API = 'https://api.example.test/risk';
const SCOPE = 'openid email organization offline_access';
const HOME = '198.51.100.7';
const CAFE = '192.0.2.44';
const BAD = '203.0.113.66';

/** A fake geo table (injected through the container): HOME in GB, CAFE in FR, BAD nowhere. */
const GEO: Record<string, GeoLocation> = {
  [HOME]: { country: 'GB', latitude: 51.5, longitude: -0.12 },
  [CAFE]: { country: 'FR', latitude: 48.85, longitude: 2.35 },
};

/** A browser whose requests come through the load balancer from `ip` (TRUST_PROXY=true). */
class AddressedBrowser extends FormBrowser {
  constructor(public ip: string) {
    super();
  }
  override request(url: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', this.ip);
    return super.request(url, { ...init, headers });
  }
}

/** The relying party's back end calling the token endpoint from `ip`. */
function fromAddress(config: oidc.Configuration, ip: string): oidc.Configuration {
  config[oidc.customFetch] = (url, options) =>
    fetch(url, { ...options, headers: { ...options.headers, 'x-forwarded-for': ip } } as RequestInit);
  return config;
}

describe('risk-based sign-in, IP allowlists and geo-fencing over HTTP', () => {
  let gh: TestGatehouse;

  beforeAll(async () => {
    gh = await startGatehouse(
      { TRUST_PROXY: 'true', RISK_KNOWN_BAD_IPS: '203.0.113.0/24', RATE_LIMIT_LOGIN_PER_MINUTE: '1000' },
      { geo: (ip) => GEO[ip] },
    );
  });
  afterAll(() => gh?.stop());

  const organizationWith = async (name: string, policies: Record<string, unknown>) => {
    const organization = await createOrganization(gh, name);
    await gh.container.admin.organizations.update(OPERATOR, organization.id, { security_policies: policies });
    return organization.id;
  };
  const member = async (organizationId: string) => {
    const email = `risk.${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await gh.container.db.users.update(id, { emailVerified: true });
    await addMember(gh, organizationId, id, []);
    return { id, email };
  };
  const app = async () => {
    const clientId = `risk-app-${randomUUID()}`;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'offline_access'],
    });
    return discover(gh.issuer, clientId, SECRET);
  };
  const signIn = (config: oidc.Configuration, browser: FormBrowser, email: string, organization: string) =>
    passwordFirstFactor(config, browser, email, PASSWORD, { scope: SCOPE, extra: { organization } });
  const latestAssessment = async (userId: string) =>
    (await gh.container.db.riskAssessments.recentForUser(userId, 1))[0]!;

  it('asks a new device on a new network for a second factor, then lets the same device in without one', async () => {
    const organization = await organizationWith('Risky', { risk: { mfa_at: 20 }, mfa_factors: ['email'] });
    const user = await member(organization);
    const config = fromAddress(await app(), HOME);

    const usual = await signIn(config, new AddressedBrowser(HOME), user.email, organization);
    expect(atRelyingParty(usual.page.url)).toBe(true);
    await usual.finish(usual.page.url);
    expect(await latestAssessment(user.id)).toMatchObject({ decision: 'allow', outcome: 'succeeded' });

    const elsewhere = new AddressedBrowser(CAFE);
    const challenged = await signIn(config, elsewhere, user.email, organization);
    expect(challenged.page.body).toContain('Email me a code');
    const assessed = await latestAssessment(user.id);
    expect(assessed.decision).toBe('mfa');
    expect(assessed.signals.map((signal) => signal.name)).toEqual(['new_device', 'new_network']);

    const sent = await elsewhere.submit(challenged.page, '/mfa/email');
    const mail = gh.container.outbox.filter((message) => message.to === user.email).at(-1)!;
    const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
    const back = await elsewhere.follow(await elsewhere.submit(sent, '/mfa', { code }), atRelyingParty);
    const claims = (await challenged.finish(back.url)).claims();
    expect(claims?.amr).toEqual(expect.arrayContaining(['pwd', 'otp']));
    expect((await latestAssessment(user.id)).outcome).toBe('succeeded');

    const again = await passwordFirstFactor(config, elsewhere, user.email, PASSWORD, {
      scope: SCOPE,
      extra: { organization, prompt: 'login' },
    });
    expect(atRelyingParty(again.page.url)).toBe(true);
    expect(await latestAssessment(user.id)).toMatchObject({ decision: 'allow', signals: [] });

    const audit = await gh.container.db.audit.list({ organizationIds: [organization] }, { limit: 100 });
    const signIns = audit.filter((record) => record.action === 'login.succeeded');
    expect(signIns.at(-1)?.after).toMatchObject({ risk_assessment_id: expect.stringMatching(/^rsk_/) });
    const assessedRecords = audit.filter((record) => record.action === 'login.risk_assessed');
    expect(assessedRecords.map((record) => (record.after as { decision: string }).decision)).toEqual([
      'allow',
      'mfa',
      'allow',
    ]);
  });

  it('refuses a known-bad address with a page that names no signal, and explains it to operators', async () => {
    const organization = await organizationWith('Plain', {});
    const user = await member(organization);
    const config = fromAddress(await app(), HOME);
    const refused = await signIn(config, new AddressedBrowser(BAD), user.email, organization);
    expect(refused.page.status).toBe(403);
    expect(refused.page.body).toContain('Sign-in refused');
    expect(refused.page.body).not.toContain('known_bad');
    expect(refused.page.body).not.toContain(BAD);
    const assessment = await latestAssessment(user.id);
    expect(assessment).toMatchObject({ decision: 'deny', outcome: 'failed' });

    process.env.DATABASE_URL = gh.env.DATABASE_URL;
    const run = await gatehouseInProcess(['explain-login', assessment.id, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: assessment.id,
      decision: 'deny',
      thresholds: { mfa_at: 50, deny_at: 90 },
      organization_id: organization,
      user_id: user.id,
      ip: BAD,
      signals: [{ name: 'known_bad_ip', points: 100, detail: expect.stringContaining(BAD) }],
    });
    const text = await gatehouseInProcess(['explain-login', assessment.id]);
    expect(text.stdout).toContain('known_bad_ip');
    expect((await gatehouseInProcess(['explain-login', 'rsk_nothing', '--json'])).code).not.toBe(0);

    const environment = adminApi(gh, await adminKey(gh));
    const shown = await environment.expect(200, `/risk-assessments/${assessment.id}`);
    expect(shown).toMatchObject({ decision: 'deny', signals: [{ name: 'known_bad_ip' }] });
    const own = adminApi(gh, await adminKey(gh, organization));
    await own.expect(200, `/risk-assessments/${assessment.id}`);
    const stranger = adminApi(gh, await adminKey(gh, await organizationWith('Stranger', {})));
    await expectProblem(await stranger.call(`/risk-assessments/${assessment.id}`), 404);
    await expectProblem(await environment.call('/risk-assessments/rsk_missing'), 404);
  });

  it('holds sign-ins and refresh tokens to the organization ip_allowlist', async () => {
    const organization = await organizationWith('Allowlisted', { ip_allowlist: ['198.51.100.0/24'] });
    const user = await member(organization);
    const config = fromAddress(await app(), HOME);

    const outside = await signIn(config, new AddressedBrowser(CAFE), user.email, organization);
    expect(outside.page.status).toBe(403);
    expect((await latestAssessment(user.id)).signals.map((signal) => signal.name)).toContain(
      'outside_allowlist',
    );

    const inside = await signIn(config, new AddressedBrowser(HOME), user.email, organization);
    const tokens = await inside.finish(inside.page.url);
    expect(tokens.refresh_token).toBeTruthy();

    fromAddress(config, CAFE);
    const refusal = oidc.refreshTokenGrant(config, tokens.refresh_token!);
    await expect(refusal).rejects.toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('ip_allowlist'),
    });
    await expect(refusal).rejects.not.toMatchObject({ error_description: expect.stringContaining(CAFE) });
    // Refused before the grant ran: the refresh token was not rotated away and still works inside.
    fromAddress(config, '198.51.100.200');
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    // The code redemption is held to it too: the back end's address counts.
    const again = await signIn(
      fromAddress(config, HOME),
      new AddressedBrowser(HOME),
      user.email,
      organization,
    );
    fromAddress(config, CAFE);
    await expect(again.finish(again.page.url)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses an allowlisted organization picked after the password from outside its networks', async () => {
    const open = await organizationWith('Picker open', {});
    const locked = await organizationWith('Picker locked', { ip_allowlist: ['198.51.100.0/24'] });
    const user = await member(open);
    await addMember(gh, locked, user.id, []);
    const config = fromAddress(await app(), HOME);
    const browser = new AddressedBrowser(CAFE);
    const { page: picker } = await passwordFirstFactor(config, browser, user.email, PASSWORD, {
      scope: SCOPE,
    });
    expect(picker.body).toContain('/organization"');
    const back = await browser.follow(
      await browser.submit(picker, '/organization', { organization: locked }),
      atRelyingParty,
    );
    const callback = new URL(back.url);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toContain('ip_allowlist');
  });

  it('holds token exchange to the ip_allowlist of the organization it would speak for', async () => {
    const open = await organizationWith('Open', {});
    const locked = await organizationWith('Locked', { ip_allowlist: ['198.51.100.0/24'] });
    const user = await member(open);
    await addMember(gh, locked, user.id, []);
    const clientId = `risk-exchange-${randomUUID()}`;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
      scopes: ['openid', 'organization'],
      resources: [API],
    });
    const config = fromAddress(await discover(gh.issuer, clientId, SECRET), CAFE);
    const signedIn = await passwordFirstFactor(config, new AddressedBrowser(CAFE), user.email, PASSWORD, {
      scope: 'openid organization',
      extra: { organization: open, resource: API },
    });
    const { access_token: subject } = await signedIn.finish(signedIn.page.url);
    const exchange = (ip: string) =>
      fetch(`${gh.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': ip,
        },
        body: new URLSearchParams({
          grant_type: TOKEN_EXCHANGE_GRANT,
          subject_token_type: ACCESS_TOKEN_TYPE,
          subject_token: subject,
          resource: API,
          organization: locked,
        }),
      });
    const outside = await exchange(CAFE);
    expect([outside.status, await outside.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: expect.stringContaining('ip_allowlist') },
    ]);
    const inside = await exchange(HOME);
    expect(inside.status).toBe(200);
  });

  it('refuses tokens from a country outside allowed_countries (client credentials of the organization)', async () => {
    const organization = await organizationWith('Fenced', { allowed_countries: ['GB'] });
    const clientId = `risk-service-${randomUUID()}`;
    await gh.addClient(
      {
        client_id: clientId,
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        resources: [API],
        scopes: ['reports:read'],
      },
      organization,
    );
    const service = await discover(gh.issuer, clientId, SECRET);
    fromAddress(service, HOME);
    const allowed = await oidc.clientCredentialsGrant(service, { resource: API, scope: 'reports:read' });
    expect(allowed.access_token).toBeTruthy();
    fromAddress(service, CAFE);
    await expect(
      oidc.clientCredentialsGrant(service, { resource: API, scope: 'reports:read' }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('allowed_countries'),
    });
    // An address the database cannot place is outside the fence too.
    fromAddress(service, '10.9.8.7');
    await expect(oidc.clientCredentialsGrant(service, { resource: API })).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});
