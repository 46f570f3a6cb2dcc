import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

/** Opens a setup link as a person would: the confirmation page, then its Continue button. */
async function openLink(browser: FormBrowser, url: string): Promise<Page> {
  const confirm = await browser.get(url);
  expect(confirm.status).toBe(200);
  expect(confirm.body).toContain('Continue');
  return browser.follow(await browser.submit(confirm, '/portal/setup/'));
}

const csrfOf = (page: Page) => /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];

describe('customer portal: setup links and access control', () => {
  let gh: TestGatehouse;
  let offset = 0;
  let orgA: { id: string; slug: string };
  let orgB: { id: string; slug: string };
  let apiA: AdminApi;
  const link = async (intent: string, org = orgA, expires_in?: number) =>
    (await apiA.expect(201, `/organizations/${org.slug}/portal-links`, {
      method: 'POST',
      json: { intent, ...(expires_in ? { expires_in } : {}) },
    })) as { url: string; id: string };

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(Date.now() + offset) });
    orgA = await createOrganization(gh, 'Portal A');
    orgB = await createOrganization(gh, 'Portal B');
    apiA = adminApi(gh, await adminKey(gh, orgA.id));
    // Organization B has a directory and a domain claim the forged requests aim at.
    await gh.container.admin.directories.create(OPERATOR, orgB.id, {
      key: 'b-dir',
      type: 'scim',
      group_role_map: {},
    });
    await gh.container.admin.domains.add(OPERATOR, orgB.id, { domain: 'portal-b.example', verified: false });
  });
  afterAll(() => gh.stop());

  it("lets an organization's API key create links only for its own organization", async () => {
    const created = await link('domains');
    expect(created.url).toMatch(new RegExp(`^${gh.issuer}/portal/setup/ghpl_[A-Za-z0-9_-]{43}$`));
    const other = await apiA.call(`/organizations/${orgB.slug}/portal-links`, {
      method: 'POST',
      json: { intent: 'domains' },
    });
    expect(other.status).toBe(404);
    const invalid = await apiA.call(`/organizations/${orgA.slug}/portal-links`, {
      method: 'POST',
      json: { intent: 'everything' },
    });
    expect(invalid.status).toBe(400);
  });

  it('opens the intent page once; the used link is refused and a B resource is not found', async () => {
    const { url } = await link('dsync');
    const browser = new FormBrowser();
    const page = await openLink(browser, url);
    expect(page.url).toBe(`${gh.url}/portal/directories`);
    expect(page.body).toContain('Portal A');

    // Used: refused in another browser, and in this one.
    expect((await new FormBrowser().get(url)).status).toBe(410);
    const again = await new FormBrowser().request(url, { method: 'POST' });
    expect(again.status).toBe(410);
    expect(again.body).toContain('already been used');

    // Forged requests at organization B's directory, with a valid session and CSRF token of A.
    const [before] = await gh.container.db.directories.listFor([orgB.id]);
    expect((await browser.get(`${gh.url}/portal/directories/b-dir`)).status).toBe(404);
    const rotate = await browser.request(`${gh.url}/portal/directories/b-dir/rotate`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(page)! }),
    });
    expect(rotate.status).toBe(404);
    const [after] = await gh.container.db.directories.listFor([orgB.id]);
    expect(after!.tokenHash).toBe(before!.tokenHash);
  });

  it("cannot check or see another organization's domain", async () => {
    const browser = new FormBrowser();
    const page = await openLink(browser, (await link('domains')).url);
    expect(page.body).not.toContain('portal-b.example');
    const forged = await browser.request(`${gh.url}/portal/domains/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(page)!, domain: 'portal-b.example' }),
    });
    expect(forged.status).toBe(404);
    const [claim] = await gh.container.db.domains.listFor(orgB.id);
    expect(claim!.lastCheckedAt).toBeNull();
  });

  it('keeps a domains link out of the directory and SSO pages', async () => {
    const browser = new FormBrowser();
    const page = await openLink(browser, (await link('domains')).url);
    expect(page.url).toBe(`${gh.url}/portal/domains`);
    expect(page.body).not.toContain('href="/portal/directories"');
    expect((await browser.get(`${gh.url}/portal/directories`)).status).toBe(404);
    const create = await browser.request(`${gh.url}/portal/directories`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(page)!, key: 'sneaky' }),
    });
    expect(create.status).toBe(404);
    expect(await gh.container.db.directories.listFor([orgA.id])).toEqual([]);
  });

  it('refuses an expired link (the injected clock passes its expiry)', async () => {
    const { url } = await link('domains', orgA, 600);
    offset = 601 * 1000;
    try {
      const page = await new FormBrowser().get(url);
      expect(page.status).toBe(410);
      expect(page.body).toContain('expired');
      expect((await new FormBrowser().request(url, { method: 'POST' })).status).toBe(410);
    } finally {
      offset = 0;
    }
  });

  it('refuses a link that never existed', async () => {
    const page = await new FormBrowser().get(`${gh.url}/portal/setup/ghpl_${'x'.repeat(43)}`);
    expect(page.status).toBe(404);
  });

  it('refuses a POST without the CSRF token, or with another session’s', async () => {
    const browser = new FormBrowser();
    const page = await openLink(browser, (await link('domains')).url);
    const post = (body: Record<string, string>) =>
      browser.request(`${gh.url}/portal/domains`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
    expect((await post({ domain: 'no-csrf.example' })).status).toBe(403);
    const otherSession = await openLink(new FormBrowser(), (await link('domains')).url);
    expect((await post({ domain: 'wrong-csrf.example', csrf: csrfOf(otherSession)! })).status).toBe(403);
    expect((await gh.container.db.domains.listFor(orgA.id)).map((d) => d.domain)).not.toContain(
      'no-csrf.example',
    );
    expect((await post({ domain: 'with-csrf.example', csrf: csrfOf(page)! })).status).toBe(303);
  });

  it('sends a visitor without a session to sign in, and signing out ends the session', async () => {
    const anonymous = await new FormBrowser().get(`${gh.url}/portal/domains`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/portal/login');
    const browser = new FormBrowser();
    const page = await openLink(browser, (await link('domains')).url);
    const out = await browser.follow(await browser.submit(page, '/portal/logout'));
    expect(out.body).toContain('signed out');
    expect((await browser.get(`${gh.url}/portal/domains`)).status).toBe(302);
  });

  it('refuses a link posted from another site, and leaves it usable', async () => {
    const { url } = await link('domains');
    const forged = await new FormBrowser().request(url, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(forged.status).toBe(403);
    expect((await openLink(new FormBrowser(), url)).url).toBe(`${gh.url}/portal/domains`);
  });

  it("ends a setup link's session when its organization is suspended", async () => {
    const org = await createOrganization(gh, 'Portal Suspended');
    const { url } = (await adminApi(gh, await adminKey(gh)).expect(
      201,
      `/organizations/${org.slug}/portal-links`,
      {
        method: 'POST',
        json: { intent: 'domains' },
      },
    )) as { url: string };
    const browser = new FormBrowser();
    expect((await openLink(browser, url)).status).toBe(200);
    await gh.container.admin.organizations.update(OPERATOR, org.id, { status: 'suspended' });
    expect((await browser.get(`${gh.url}/portal/domains`)).status).toBe(302);
  });

  it('records who created and who used each link', async () => {
    const { id, url } = await link('sso');
    await openLink(new FormBrowser(), url);
    const records = await gh.container.db.audit.list(
      { organizationIds: [orgA.id], actionPrefix: 'portal.' },
      { limit: 100 },
    );
    const mine = records.filter((record) => record.targetId === id);
    expect(mine.map((record) => [record.action, record.actor.type])).toEqual(
      expect.arrayContaining([
        ['portal.link_created', 'api_key'],
        ['portal.link_used', 'portal'],
      ]),
    );
  });
});
