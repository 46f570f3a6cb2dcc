import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { DEMO_PASSWORD } from '../../src/wiring/demo-wiring.js';
import { DEMO_USER_EMAIL } from '../../src/domain/demo/demo-seed.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// Empty values unset the variables: the embedded PGlite database and the in-process store.
const EMBEDDED = { DATABASE_URL: '', REDIS_URL: '' };

describe.each([
  ['on PostgreSQL and Redis', {}],
  ['on the embedded database and in-process store', EMBEDDED],
])('the demo relying party in a real browser, %s', (_name, services: Record<string, string>) => {
  let gh: TestGatehouse;
  let browser: Browser;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-data-'));
    gh = await startGatehouse({ DEMO: 'true', DATA_DIR: dataDir, ...services });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.stop();
  }, 60_000);

  it('signs in through discovery, code + PKCE, and shows the tokens and userinfo', async () => {
    const page = await browser.newPage();
    await page.goto(`${gh.issuer}/demo`);
    await page.getByRole('button', { name: 'Sign in with Gatehouse' }).click();
    await page.getByLabel('Work email').fill(DEMO_USER_EMAIL);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('do not match');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/demo\/callback/);

    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/demo-result.png`, fullPage: true });
    const claims = JSON.parse((await page.locator('#id-token').textContent()) ?? '{}');
    expect(claims).toMatchObject({
      iss: gh.issuer,
      aud: 'gatehouse-demo',
      sub: expect.stringMatching(/^usr_/),
    });
    const userinfo = JSON.parse((await page.locator('#userinfo').textContent()) ?? '{}');
    expect(userinfo).toMatchObject({ sub: claims.sub, email: DEMO_USER_EMAIL, name: 'Demo User' });

    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${gh.issuer}/demo`);
    await page.close();
  });
});
