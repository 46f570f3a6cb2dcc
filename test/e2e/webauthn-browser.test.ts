import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import type { MfaFactorRecord } from '../../src/domain/ports/mfa.js';
import { freePort } from '../support/free-port.js';
import { ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';
const PASSWORD = 'correct horse battery';
const MFA_ACR = 'urn:gatehouse:mfa';

/** What CDP's WebAuthn domain reports of a credential (binary fields in base64). */
interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
  backupEligibility?: boolean;
  backupState?: boolean;
}

/** A platform authenticator in the page (WebAuthn L2 §11 automation, through CDP). */
async function virtualAuthenticator(page: Page, credential?: VirtualCredential) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      // Eligible for backup but not backed up yet: a device-bound key until it syncs.
      defaultBackupEligibility: true,
      defaultBackupState: false,
    },
  });
  if (credential) await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
  return {
    cdp,
    authenticatorId,
    async credentials(): Promise<VirtualCredential[]> {
      return (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    },
  };
}

/**
 * Passkeys as the second factor in real Chromium with a virtual authenticator: enrolment at the
 * first sign-in, then sign-ins that ask for the passkey. WebAuthn refuses IP addresses as RP IDs,
 * so this Gatehouse's issuer is http://localhost (a secure context, like https).
 */
describe('passkeys and security keys as the second factor in a real browser', () => {
  let gh: TestGatehouse;
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let browser: Browser;
  let userId: string;
  let enrolled: VirtualCredential;
  const email = `passkey.${randomUUID().slice(0, 8)}@example.test`;
  const contexts: BrowserContext[] = [];

  const keyOf = async (): Promise<MfaFactorRecord> => {
    const keys = (await gh.container.db.mfaFactors.listFor(userId)).filter((f) => f.type === 'webauthn');
    expect(keys).toHaveLength(1);
    return keys[0]!;
  };
  const newPage = async () => {
    // A new context each time: no Gatehouse session, so each sign-in asks for both factors.
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  };
  const passwordStep = async (page: Page) => {
    await page.goto(`${gh.issuer}/demo`);
    await page.getByRole('button', { name: 'Sign in with Gatehouse' }).click();
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const idToken = async (page: Page) => {
    await page.waitForURL(/\/demo\/callback/);
    return JSON.parse((await page.locator('#id-token').textContent()) ?? '{}') as Record<string, unknown>;
  };
  const signInWithPasskey = async (credential: VirtualCredential) => {
    const page = await newPage();
    const authenticator = await virtualAuthenticator(page, credential);
    await passwordStep(page);
    await expect(page.getByRole('heading', { name: 'Two-step verification' }).isVisible()).resolves.toBe(
      true,
    );
    await page.getByRole('button', { name: 'Use a passkey or security key' }).click();
    return { page, authenticator };
  };

  beforeAll(async () => {
    const port = await freePort();
    // Its own database: the demo client's redirect URI follows the issuer of the last server that
    // seeded it, and other suites' demo servers (on 127.0.0.1) share the run's database.
    database = await ownDatabase();
    gh = await startGatehouse({
      DEMO: 'true',
      DATABASE_URL: database.url,
      PORT: String(port),
      ISSUER: `http://localhost:${port}`,
    });
    const organization = await createOrganization(gh, 'Passkey Co');
    await gh.container.admin.organizations.update(OPERATOR, organization.id, {
      security_policies: { mfa: 'required', mfa_factors: ['webauthn', 'totp'] },
    });
    userId = await gh.addUser(email, PASSWORD);
    await addMember(gh, organization.id, userId, []);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gh?.stop();
    await database?.drop();
  }, 60_000);

  it('sets up a passkey at the first sign-in, shows recovery codes, and says hwk + mfa in the ID token', async () => {
    const page = await newPage();
    const authenticator = await virtualAuthenticator(page);
    await passwordStep(page);
    await expect(
      page.getByRole('heading', { name: 'Set up two-step verification' }).isVisible(),
    ).resolves.toBe(true);
    await page.getByRole('button', { name: 'Set up a passkey or security key' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await expect(page.locator('ul.codes li').count()).resolves.toBe(10);
    await page.getByRole('button', { name: 'I saved them, continue' }).click();

    const claims = await idToken(page);
    expect(claims).toMatchObject({ sub: userId, acr: MFA_ACR });
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));

    enrolled = (await authenticator.credentials())[0]!;
    const key = await keyOf();
    expect(key).toMatchObject({
      credentialId: Buffer.from(enrolled.credentialId, 'base64').toString('base64url'),
      transports: ['internal'],
      backedUp: false,
      label: 'Passkey',
      confirmedAt: expect.any(Date),
    });
    expect(await gh.container.db.recoveryCodes.countUnused(userId)).toBe(10);
  }, 60_000);

  it('asks for the passkey in a new browser, counts each use, follows its backup state and refuses a clone', async () => {
    const before = await keyOf();
    const first = await signInWithPasskey(enrolled);
    const claims = await idToken(first.page);
    expect(claims).toMatchObject({ sub: userId, acr: MFA_ACR });
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));
    const used = await keyOf();
    const [afterUse] = await first.authenticator.credentials();
    expect(used.signCount).toBe(afterUse!.signCount);
    expect(used.signCount).toBeGreaterThan(before.signCount);
    expect(used.lastUsedAt).toEqual(expect.any(Date));

    // The key syncs to a cloud account (BS set, WebAuthn L2 §6.1.3): a software-held key now, `swk`.
    const synced = await signInWithPasskey({ ...afterUse!, backupEligibility: true, backupState: true });
    const syncedClaims = await idToken(synced.page);
    expect(syncedClaims.amr).toEqual(expect.arrayContaining(['pwd', 'swk', 'mfa']));
    expect(syncedClaims.amr).not.toContain('hwk');
    const afterSync = await keyOf();
    expect(afterSync).toMatchObject({ backedUp: true });
    expect(afterSync.signCount).toBeGreaterThan(used.signCount);

    // A copy taken at enrolment: its counter is behind what the server saw (§6.1.1), so it is refused.
    const clone = await signInWithPasskey({ ...enrolled, signCount: used.signCount - 1 });
    await expect(clone.page.getByRole('alert').textContent()).resolves.toContain('cannot be used');
    expect(clone.page.url()).toContain('/interaction/');
    expect((await keyOf()).signCount).toBe(afterSync.signCount);
  }, 90_000);
});
