import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { contrastRatio } from '../../src/domain/branding/brand-colors.js';
import { launchChromium } from '../support/chromium.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { signInApp } from '../support/mfa-fixture.js';
import { passwordFirstFactor, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'portal');
const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';
const LOGO = 'https://logos.maritime.example/logo.svg';
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" rx="8" fill="#0f766e"/>' +
  '<path d="M8 26 L20 10 L32 26 Z" fill="#fff"/></svg>';

/** The brand a page shows, as views/partials/brand-header.eta writes it. */
const brandOf = (page: Page) => /data-brand="([^"]+)"/.exec(page.body)?.[1];
const stylesheetOf = (page: Page) =>
  /<link rel="stylesheet" href="(\/branding\/[^"]+)">/.exec(page.body)?.[1];

/** Branded sign-in pages over HTTP: inheritance, the MFA and error pages, routing, and a real browser. */
describe('branded sign-in pages', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  let parent: { id: string; slug: string };
  let child: { id: string; slug: string };
  const unique = randomUUID().slice(0, 8);
  const emailDomain = `maritime-${unique}.example`;

  const member = async (organizationId: string, email = `u.${randomUUID().slice(0, 8)}@${emailDomain}`) => {
    await addMember(gh, organizationId, await gh.addUser(email, PASSWORD), []);
    return email;
  };

  beforeAll(async () => {
    gh = await startGatehouse({ RATE_LIMIT_LOGIN_PER_MINUTE: '100' });
    parent = await createOrganization(gh, 'Maritime Parent');
    await gh.container.admin.organizations.update(OPERATOR, parent.id, {
      branding: { display_name: 'Maritime Underwriters', logo_url: LOGO, primary_color: '#0F766E' },
    });
    // The sub-organization sets nothing of its own but MFA: it shows its parent's branding.
    child = await createOrganization(gh, 'Maritime Broker', { parent: parent.id });
    await gh.container.admin.organizations.update(OPERATOR, child.id, {
      security_policies: { mfa: 'required' },
    });
    await gh.container.admin.domains.add(OPERATOR, parent.id, { domain: emailDomain, verified: true });
    config = await signInApp(gh, 'branding');
  });
  afterAll(() => gh?.stop());

  it('shows the parent’s logo, name and colour on a sub-organization’s login page, and on its MFA and error pages', async () => {
    const email = await member(child.id);
    const browser = new FormBrowser();
    const { page: login } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { organization: child.slug },
    });
    expect(brandOf(login)).toBe(child.id);
    expect(login.body).toContain('Maritime Underwriters');
    expect(login.body).toContain(`src="${LOGO}"`);
    expect(login.body).toContain('<html lang="en">');
    expect(login.body).toMatch(/<label for="email">/);
    expect(login.body).not.toContain('<p class="brand">Gatehouse</p>');

    const sheet = stylesheetOf(login)!;
    expect(sheet).toMatch(new RegExp(`^/branding/${child.id}\\.css\\?v=`));
    const css = await fetch(`${gh.issuer}${sheet}`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toContain('immutable');
    const text = await css.text();
    expect(text).toContain('--accent: #0f766e;');
    const onAccent = /--on-accent: (#[0-9a-f]{6});/.exec(text)![1]!;
    expect(contrastRatio('#0f766e', onAccent)).toBeGreaterThanOrEqual(4.5);

    const { page: mfa } = await passwordFirstFactor(config, browser, email, PASSWORD, {
      scope: SCOPE,
      extra: { organization: child.slug },
    });
    expect(mfa.body).toContain('Set up two-step verification');
    expect(brandOf(mfa)).toBe(child.id);
    expect(mfa.body).toContain('Maritime Underwriters');

    // A request the sign-in cannot take: the error page keeps the organization's look.
    const uid = /\/interaction\/([^/]+)\/mfa/.exec(mfa.body)![1]!;
    const error = await browser.request(`${gh.issuer}/interaction/${uid}/organization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'organization=x',
    });
    expect(error.status).toBe(400);
    expect(error.body).toContain('this sign-in is not choosing an organization');
    expect(brandOf(error)).toBe(child.id);
  });

  it('brands the password page once the email resolves to an organization, and nothing without one', async () => {
    const email = await member(parent.id);
    const browser = new FormBrowser();
    const { page: login } = await startAuthorization(config, browser, { scope: SCOPE });
    expect(brandOf(login)).toBeUndefined();
    expect(login.body).toContain('<p class="brand">Gatehouse</p>');
    expect(stylesheetOf(login)).toBeUndefined();

    const password = await browser.submit(login, '/identify', { email });
    expect(password.status).toBe(200);
    expect(brandOf(password)).toBe(parent.id);

    const stranger = new FormBrowser();
    const { page: other } = await startAuthorization(config, stranger, { scope: SCOPE });
    const unbranded = await stranger.submit(other, '/identify', { email: 'someone@elsewhere.example' });
    expect(brandOf(unbranded)).toBeUndefined();
  });

  it('brands the authorization endpoint’s own error page for the organization it names', async () => {
    const url = new URL(`${gh.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: `no-such-client-${unique}`,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      organization: parent.slug,
    }).toString();
    const page = await new FormBrowser().get(url.href);
    expect(page.status).toBe(400);
    expect(page.body).toContain('invalid_client');
    expect(brandOf(page)).toBe(parent.id);
    url.searchParams.delete('organization');
    expect(brandOf(await new FormBrowser().get(url.href))).toBeUndefined();
  });

  it('refuses a stylesheet for an organization without colours or an id that is not one', async () => {
    const plain = await createOrganization(gh, 'Plain Co');
    expect((await fetch(`${gh.issuer}/branding/${plain.id}.css`)).status).toBe(404);
    expect((await fetch(`${gh.issuer}/branding/..%2Fgatehouse.css`)).status).toBe(404);
  });

  describe('in a real browser', () => {
    let chromium: Browser;
    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      chromium = await launchChromium();
    }, 60_000);
    afterAll(() => chromium?.close());

    it('renders the branded login page with its colour, logo and keyboard focus (screenshot saved)', async () => {
      const page = await chromium.newPage();
      await page.route(`${LOGO}*`, (route) =>
        route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
      );
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        organization: child.slug,
      });
      await page.goto(url.href);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
      const button = page.getByRole('button', { name: 'Continue' });
      const colours = await button.evaluate((element) => {
        const style = getComputedStyle(element);
        return { background: style.backgroundColor, color: style.color };
      });
      expect(colours.background).toBe('rgb(15, 118, 110)');
      expect(colours.color).toBe('rgb(255, 255, 255)');
      await expect(
        page.locator('img.brand-logo').evaluate((img: HTMLImageElement) => img.naturalWidth),
      ).resolves.toBe(40);
      // The email field has focus (autofocus); Tab reaches the button with a visible outline.
      await page.getByLabel('Work email').fill('someone@example.test');
      await page.keyboard.press('Tab');
      const outline = await button.evaluate((element) => getComputedStyle(element).outlineStyle);
      expect(outline).toBe('solid');
      await page.screenshot({ path: join(ARTIFACTS, 'branded-login.png'), fullPage: true });
      await page.close();
    }, 60_000);
  });
});
