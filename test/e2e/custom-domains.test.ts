import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import * as oidc from 'openid-client';
import type { DnsResolver } from '../../src/domain/organizations/domain-verification.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { REDIRECT_URI } from '../support/relying-party.js';
import { signInApp } from '../support/mfa-fixture.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

/** A DNS zone the test writes: TXT records by name; any other name does not exist. */
const zone = new Map<string, string[][]>();
const dns: DnsResolver = {
  async resolveTxt(name) {
    const records = zone.get(name);
    if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return records;
  },
};

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
}

/** A GET with the headers a browser behind a proxy would send (fetch may not set Host). */
function rawGet(gh: TestGatehouse, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${gh.url}${path}`, { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const brandOf = (body: string) => /data-brand="([^"]+)"/.exec(body)?.[1];

/** Custom login domains: the admin API, host header trust, and the branded entry point. */
describe('custom login domains', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let org: { id: string; slug: string };
  const unique = randomUUID().slice(0, 8);
  const host = `login-${unique}.maritime.example`;
  const pendingHost = `pending-${unique}.maritime.example`;
  let domain: Json;

  beforeAll(async () => {
    gh = await startGatehouse({ CUSTOM_DOMAINS: 'true', TRUST_PROXY: 'true' }, { dns });
    api = adminApi(gh, await adminKey(gh));
    org = await createOrganization(gh, 'Custom Domain Co');
    await gh.container.admin.organizations.update(OPERATOR, org.id, {
      branding: { display_name: 'Maritime Login', primary_color: '#1d4ed8' },
    });
    await gh.addClient(
      {
        client_id: `portal-app-${unique}`,
        name: 'Claims Portal',
        redirect_uris: [REDIRECT_URI],
        initiate_login_uri: 'https://claims.maritime.example/login',
        token_endpoint_auth_method: 'none',
      },
      org.id,
    );
  });
  afterAll(() => gh?.stop());

  it('adds a host with its TXT challenge, verifies it by DNS, and lists it', async () => {
    domain = await api.expect(201, `/organizations/${org.slug}/custom-domains`, {
      method: 'POST',
      json: { host: host.toUpperCase() },
    });
    expect(domain).toMatchObject({ host, verified: false, verified_at: null });
    expect(domain.id).toMatch(/^cdm_/);
    expect(domain.verification).toMatchObject({ type: 'dns_txt', name: `_gatehouse-challenge.${host}` });

    const early = await api.call(`/organizations/${org.slug}/custom-domains/${domain.id}/verify`, {
      method: 'POST',
    });
    await expectProblem(early, 422, 'verification_failed');
    zone.set(`_gatehouse-challenge.${host}`, [[domain.verification.value]]);
    const verified = await api.expect(200, `/organizations/${org.slug}/custom-domains/${host}/verify`, {
      method: 'POST',
    });
    expect(verified).toMatchObject({ verified: true, verification: null });

    await api.expect(201, `/organizations/${org.id}/custom-domains`, {
      method: 'POST',
      json: { host: pendingHost },
    });
    const list = await api.expect(200, `/organizations/${org.slug}/custom-domains`);
    expect(list.data.map((row: Json) => [row.host, row.verified])).toEqual([
      [host, true],
      [pendingHost, false],
    ]);
    const audit = await gh.container.db.audit.list(
      { targetType: 'custom_domain', targetId: domain.id },
      { limit: 10 },
    );
    expect(audit.map((record) => record.action).sort()).toEqual([
      'custom_domain.create',
      'custom_domain.verify',
    ]);
  });

  it('refuses a taken host (409), a malformed one (400), and other tenants’ domains (404)', async () => {
    const other = await createOrganization(gh, 'Other Tenant');
    const otherApi = adminApi(gh, await adminKey(gh, other.id));
    const taken = await api.call(`/organizations/${other.slug}/custom-domains`, {
      method: 'POST',
      json: { host },
    });
    await expectProblem(taken, 409, 'custom_domain_taken');
    for (const bad of [
      'https://login.example.com',
      'login.example.com:8443',
      '*.example.com',
      'localhost',
      '10.0.0.1',
    ])
      await expectProblem(
        await api.call(`/organizations/${org.slug}/custom-domains`, { method: 'POST', json: { host: bad } }),
        400,
        'invalid_request',
      );
    await expectProblem(
      await api.call(`/organizations/${org.slug}/custom-domains`, {
        method: 'POST',
        json: { host: 'a.example', www: 1 },
      }),
      400,
    );
    await expectProblem(await otherApi.call(`/organizations/${org.slug}/custom-domains`), 404, 'not_found');
    await expectProblem(
      await otherApi.call(`/organizations/${other.slug}/custom-domains/${domain.id}`),
      404,
      'not_found',
    );
    await expectProblem(
      await otherApi.call(`/organizations/${other.slug}/custom-domains/${domain.id}`, { method: 'DELETE' }),
      404,
      'not_found',
    );
    // An organization's own key may add a host but not attest it without DNS.
    const attest = await otherApi.call(`/organizations/${other.slug}/custom-domains`, {
      method: 'POST',
      json: { host: `x-${unique}.other.example`, verified: true },
    });
    await expectProblem(attest, 403);
    // A plan without custom domains (pro: SSO and SCIM only) refuses them.
    const pro = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `pro-${unique}`, name: 'Pro Plan Co', plan: { tier: 'pro' } },
    });
    const refused = await api.call(`/organizations/${pro.id}/custom-domains`, {
      method: 'POST',
      json: { host: `login-${unique}.pro.example` },
    });
    await expectProblem(refused, 403, 'feature_not_in_plan');
  });

  it('serves the branded entry at / for the verified host, by Host or by X-Forwarded-Host (TRUST_PROXY)', async () => {
    const requests: Record<string, string>[] = [{ host }, { 'x-forwarded-host': `${host}:443` }];
    for (const headers of requests) {
      const landing = await rawGet(gh, '/', headers);
      expect(landing.status).toBe(200);
      expect(brandOf(landing.body)).toBe(org.id);
      expect(landing.body).toContain('Sign in to Maritime Login');
      expect(landing.body).toContain(
        `href="${gh.issuer}/branding/enter/${domain.id}/apps/portal-app-${unique}"`,
      );
      expect(landing.body).toContain('Open Claims Portal');
    }
  });

  it('answers an unverified or unknown host as the issuer’s host: no branding, the host never reflected', async () => {
    const issuerRoot = await rawGet(gh, '/', {});
    for (const name of [pendingHost, `evil-${unique}.example`]) {
      const answer = await rawGet(gh, '/', { host: name });
      expect(answer.status).toBe(issuerRoot.status);
      expect(answer.body).not.toContain(name);
      expect(brandOf(answer.body)).toBeUndefined();
      const discovery = await rawGet(gh, '/.well-known/openid-configuration', { host: name });
      expect(discovery.body).not.toContain(name);
      expect(JSON.parse(discovery.body).issuer).toBe(gh.issuer);
    }
  });

  it('sends an authorization request made at the custom host to the issuer, and brands its sign-in', async () => {
    const config = await signInApp(gh, 'custom-domain');
    const authorization = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const atCustomHost = await rawGet(gh, `/auth${authorization.search}`, { host });
    expect(atCustomHost.status).toBe(302);
    expect(atCustomHost.location).toBe(
      `${gh.issuer}/branding/enter/${domain.id}/auth${authorization.search}`,
    );

    const browser = new FormBrowser();
    const login = await browser.follow(await browser.get(atCustomHost.location!));
    expect(login.url).toMatch(new RegExp(`^${gh.issuer}/interaction/`));
    expect(brandOf(login.body)).toBe(org.id);
    // The entry cookie was taken by that interaction: the next sign-in in this browser is unbranded.
    const next = await browser.follow(await browser.get(authorization.href));
    expect(brandOf(next.body)).toBeUndefined();

    const app = await new FormBrowser().get(
      `${gh.issuer}/branding/enter/${domain.id}/apps/portal-app-${unique}`,
    );
    expect(app.status).toBe(302);
    expect(app.headers.get('location')).toBe(
      `https://claims.maritime.example/login?iss=${encodeURIComponent(gh.issuer)}`,
    );
    expect(app.headers.get('set-cookie')).toMatch(/gh_brand_entry=cdm_.*path=\/interaction.*httponly/i);
  });

  it('stops serving a removed host at once', async () => {
    await api.expect(204, `/organizations/${org.slug}/custom-domains/${pendingHost}`, { method: 'DELETE' });
    await api.expect(204, `/organizations/${org.slug}/custom-domains/${domain.id}`, { method: 'DELETE' });
    expect(brandOf((await rawGet(gh, '/', { host })).body)).toBeUndefined();
    await expectProblem(await api.call(`/organizations/${org.slug}/custom-domains/${domain.id}`), 404);
  });
});

describe('custom login domains: host header trust is explicit', () => {
  const unique = randomUUID().slice(0, 8);
  const host = `login-${unique}.trust.example`;
  let plain: TestGatehouse;
  let disabled: TestGatehouse;

  beforeAll(async () => {
    plain = await startGatehouse({ CUSTOM_DOMAINS: 'true' }, { dns });
    disabled = await startGatehouse({}, { dns });
    const org = await createOrganization(plain, 'Trust Co');
    await plain.container.admin.organizations.update(OPERATOR, org.id, {
      branding: { display_name: 'Trust Co' },
    });
    await plain.container.admin.customDomains.add(OPERATOR, org.id, { host, verified: true });
  });
  afterAll(async () => {
    await plain?.stop();
    await disabled?.stop();
  });

  it('without TRUST_PROXY, X-Forwarded-Host is ignored and only Host counts', async () => {
    expect(brandOf((await rawGet(plain, '/', { host })).body)).toBeDefined();
    expect(brandOf((await rawGet(plain, '/', { 'x-forwarded-host': host })).body)).toBeUndefined();
  });

  it('with CUSTOM_DOMAINS off, even a verified host is the issuer’s host', async () => {
    const answer = await rawGet(disabled, '/', { host });
    expect(brandOf(answer.body)).toBeUndefined();
    expect(answer.body).not.toContain(host);
  });
});
