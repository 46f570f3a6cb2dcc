import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { gatehouseInProcess } from '../cli/config-in-process.js';
import { launchChromium } from '../support/chromium.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { scimClient, USER_SCHEMA } from '../support/scim-client.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

/** Screenshots of each portal step, kept as test artifacts (gitignored). */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'portal');
const PASSWORD = 'correct horse battery staple';

describe('customer portal in a real browser', () => {
  let gh: TestGatehouse;
  let browser: Browser;
  let api: AdminApi;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let org: { id: string; slug: string; name: string };
  /** The DNS zone the fake resolver answers from: name -> TXT records. */
  const zone = new Map<string, string[][]>();
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A database of its own: the portal's client is registered for the issuer of the last server
    // that booted on it (one issuer per deployment), and other suites' servers have other issuers.
    database = await ownDatabase();
    gh = await startGatehouse(
      { DATABASE_URL: database.url },
      {
        dns: {
          resolveTxt: async (name) => {
            const records = zone.get(name);
            if (records) return records;
            throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
          },
        },
      },
    );
    org = await createOrganization(gh, 'Portal Browser Co', {
      roles: [
        { name: 'owner', permissions: ['org:manage'], admin: true },
        { name: 'member', permissions: [] },
      ],
    });
    api = adminApi(gh, await adminKey(gh));
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.stop();
    await database?.drop();
  }, 60_000);

  it('domains: a CLI link, add a domain, see the TXT record, check again until verified', async () => {
    // The operator's CLI, in this process, against the server's database.
    const names = ['DATABASE_URL', 'ISSUER', 'GATEHOUSE_KEK', 'KEYS_DIR'] as const;
    const saved = names.map((name) => process.env[name]);
    for (const name of names) process.env[name] = String(gh.env[name as keyof typeof gh.env] ?? '');
    const run = await gatehouseInProcess([
      'portal',
      'link',
      '--organization',
      org.slug,
      '--intent',
      'domains',
      '--json',
    ]).finally(() =>
      // DATABASE_URL names the test server's own database from here on; the run's admin URL comes back.
      names.forEach((name, index) => {
        if (saved[index] === undefined) delete process.env[name];
        else process.env[name] = saved[index];
      }),
    );
    expect(run.stderr).toBe('');
    const { url } = JSON.parse(run.stdout) as { url: string };

    const page = await browser.newPage();
    await page.goto(url);
    await shot(page, 'domains-01-link');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${gh.issuer}/portal/domains`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Domains');
    await shot(page, 'domains-02-empty');

    const domain = `portal-${org.slug}.example`;
    await page.getByLabel('Domain name').fill(domain);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`${domain} was added`);
    const item = page.locator(`li.domain`, { hasText: domain });
    const recordName = await item.locator('dd code').nth(1).textContent();
    const recordValue = await item.locator('dd code').nth(2).textContent();
    expect(recordName).toBe(`_gatehouse-challenge.${domain}`);
    const [claim] = await gh.container.db.domains.listFor(org.id);
    expect(recordValue).toBe(claim!.verificationToken);
    await shot(page, 'domains-03-txt-record');

    // Not published yet: plain words, still pending.
    await item.getByRole('button', { name: /Check again/ }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('is not verified yet');
    await shot(page, 'domains-04-not-yet');

    zone.set(recordName!, [[recordValue!]]);
    await page
      .locator('li.domain', { hasText: domain })
      .getByRole('button', { name: /Check again/ })
      .click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`${domain} is verified`);
    await expect(
      page.locator('li.domain', { hasText: domain }).locator('.badge').textContent(),
    ).resolves.toBe('Verified');
    await shot(page, 'domains-05-verified');
    expect((await gh.container.db.domains.listFor(org.id))[0]!.verifiedAt).not.toBeNull();
    await page.close();
  });

  it('dsync: create a directory, its token shown once works for SCIM, map a group to a role', async () => {
    const { url } = await api.expect(201, `/organizations/${org.slug}/portal-links`, {
      method: 'POST',
      json: { intent: 'dsync' },
    });
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${gh.issuer}/portal/directories`);
    await shot(page, 'dsync-01-directories');

    await page.getByLabel('Directory name').fill('okta');
    await page.getByRole('button', { name: 'Create directory' }).click();
    await page.waitForURL(`${gh.issuer}/portal/directories/okta`);
    const token = await page.locator('#scim-token').textContent();
    const baseUrl = await page.locator('#scim-base-url').textContent();
    expect(token).toMatch(/^gh_scim_/);
    await shot(page, 'dsync-02-token-once');

    const [directory] = await gh.container.db.directories.listFor([org.id]);
    // SCIM provisions users only at the organization's verified domains.
    const domain = `dsync-${org.slug}.example`;
    await gh.container.admin.domains.add(OPERATOR, org.id, { domain, verified: true });
    expect(baseUrl).toBe(`${gh.issuer}/scim/v2/${directory!.id}/`);
    const scim = scimClient(gh, directory!.id, token!);
    const created = await scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: `ada@${domain}`,
      emails: [{ value: `ada@${domain}`, primary: true }],
      active: true,
    });
    expect([created.status, created.body.detail]).toEqual([201, undefined]);

    // Shown once: a reload has only the hint.
    await page.reload();
    await expect(page.locator('#scim-token').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(token!);
    await shot(page, 'dsync-03-after-reload');

    await page.getByLabel('Group 1', { exact: true }).fill('Engineering');
    await page.getByLabel('Role for group 1', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('mapping was saved');
    await shot(page, 'dsync-04-mapping');
    const [saved] = await gh.container.db.directories.listFor([org.id]);
    expect(saved!.groupRoleMap).toEqual({ Engineering: 'member' });

    // Rotating issues a new token; the old one is refused from then on.
    await page.getByRole('button', { name: 'Issue a new token' }).click();
    const rotated = await page.locator('#scim-token').textContent();
    expect(rotated).not.toBe(token);
    expect((await scim.call('GET', '/Users')).status).toBe(401);
    expect((await scimClient(gh, directory!.id, rotated!).call('GET', '/Users')).status).toBe(200);
    await page.close();
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${gh.issuer}/portal/login`);
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('OIDC: an organization administrator signs in through Gatehouse and sees the home page', async () => {
    const email = `owner@${org.slug}.example`;
    await gh.addUser(email, PASSWORD, 'Olive Owner');
    await gh.container.admin.memberships.add(OPERATOR, org.id, { email, roles: ['owner'], status: 'active' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    await page.waitForURL(`${gh.issuer}/portal`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(org.name);
    const nav = page.getByRole('navigation', { name: 'Setup tasks' });
    for (const label of ['Single sign-on', 'Directory sync', 'Domains'])
      await expect(nav.getByRole('link', { name: label }).count()).resolves.toBe(1);
    const claims = await gh.container.db.domains.listFor(org.id);
    const verified = claims.filter((claim) => claim.verifiedAt).length;
    const domainStatus =
      claims.length === 0
        ? 'No domain yet.'
        : `${claims.length} domain${claims.length === 1 ? '' : 's'}, ${verified} verified.`;
    await expect(page.locator('.task', { hasText: 'Domains' }).textContent()).resolves.toContain(
      domainStatus,
    );
    await shot(page, 'home-01-admin');

    // Keyboard: the first Tab lands on the skip link, which moves to the main content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Skip to main content',
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${gh.issuer}/portal/signed-out`);
    await shot(page, 'home-02-signed-out');

    // Signed in again, then demoted: the portal session ends at the next request.
    await page.goto(`${gh.issuer}/portal/login`);
    await page.waitForURL(`${gh.issuer}/portal`);
    await gh.container.admin.memberships.update(OPERATOR, org.id, email, { roles: ['member'] });
    const after = await page.request.get(`${gh.issuer}/portal/domains`, { maxRedirects: 0 });
    expect([after.status(), after.headers()['location']]).toEqual([302, '/portal/login']);
    await context.close();
  });

  it('OIDC: a user of several organizations picks one at Gatehouse and administers that one', async () => {
    const second = await createOrganization(gh, 'Portal Second Co', {
      roles: [{ name: 'it-admin', permissions: [], admin: true }],
    });
    const email = `both@${org.slug}.example`;
    await gh.addUser(email, PASSWORD, 'Bo Both');
    await gh.container.admin.memberships.add(OPERATOR, org.id, {
      email,
      roles: ['member'],
      status: 'active',
    });
    await gh.container.admin.memberships.add(OPERATOR, second.id, {
      email,
      roles: ['it-admin'],
      status: 'active',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Choose an organization',
    );
    await shot(page, 'home-04-organization-picker');
    await page.getByLabel(second.name).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${gh.issuer}/portal`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(second.name);
    await context.close();
  });

  it('OIDC: a member without an administrator role is refused with a clear page', async () => {
    const email = `member@${org.slug}.example`;
    await gh.addUser(email, PASSWORD, 'Max Member');
    await gh.container.admin.memberships.add(OPERATOR, org.id, {
      email,
      roles: ['member'],
      status: 'active',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = page.waitForResponse((response) =>
      response.url().startsWith(`${gh.issuer}/portal/callback`),
    );
    await signIn(page, email);
    expect((await refused).status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Administrators only');
    await shot(page, 'home-03-not-admin');
    const home = await page.goto(`${gh.issuer}/portal/domains`);
    expect(home?.url()).not.toBe(`${gh.issuer}/portal/domains`);
    await context.close();
  });
});
