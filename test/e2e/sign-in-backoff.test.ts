import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { gatehouse } from '../cli/run-gatehouse.js';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { signInApp } from '../support/mfa-fixture.js';
import { atRelyingParty, startAuthorization } from '../support/relying-party.js';
import { testDatabaseUrl, testRedisUrl } from '../support/services.js';
import { addMember, createOrganization } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';

async function userIn(gh: TestGatehouse, organizationId: string) {
  const email = `backoff.${randomUUID().slice(0, 8)}@example.test`;
  const id = await gh.addUser(email, PASSWORD);
  await addMember(gh, organizationId, id, []);
  return { id, email };
}

/** The password page of a new sign-in, then one password posted on it. */
async function passwordAttempt(config: oidc.Configuration, email: string, password: string) {
  const browser = new FormBrowser();
  const flow = await startAuthorization(config, browser, { scope: 'openid email organization' });
  const passwordPage = await browser.submit(flow.page, '/identify', { email });
  return { browser, flow, passwordPage, answer: await browser.submit(passwordPage, '/login', { password }) };
}

/**
 * A server of its own with a movable clock, an application and an organization: the per-minute
 * limit is raised, since these suites sign in many times within a real minute.
 */
function useBackoffServer(label: string) {
  const state = { clock: Date.now() } as {
    clock: number;
    gh: TestGatehouse;
    config: oidc.Configuration;
    organizationId: string;
  };
  beforeAll(async () => {
    state.gh = await startGatehouse(
      { RATE_LIMIT_LOGIN_PER_MINUTE: '1000' },
      { now: () => new Date(state.clock) },
    );
    state.config = await signInApp(state.gh, label);
    state.organizationId = (await createOrganization(state.gh, label)).id;
  });
  afterAll(() => state.gh?.stop());
  return {
    state,
    advance: (ms: number) => void (state.clock += ms),
    newUser: () => userIn(state.gh, state.organizationId),
    tryPassword: (email: string, password: string) => passwordAttempt(state.config, email, password),
  };
}

/** Wrong passwords over HTTP: backoff per account and per address, lockout notice, unlock by CLI. */
describe('backoff on wrong passwords', () => {
  const { state, advance, newUser, tryPassword } = useBackoffServer('backoff');

  it('lets five mistakes pass, then makes the account wait, even for the right password', async () => {
    const user = await newUser();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const { answer } = await tryPassword(user.email, 'wrong password');
      expect(answer.status).toBe(401);
      expect(answer.body).not.toContain('Try again in');
    }
    const sixth = await tryPassword(user.email, 'wrong password');
    expect(sixth.answer.body).toContain('Try again in 30 seconds');

    const right = await tryPassword(user.email, PASSWORD);
    expect(right.answer.status).toBe(429);
    expect(right.answer.headers.get('retry-after')).toBe('30');
    expect(right.answer.body).toContain('Too many sign-in attempts. Try again in 30 seconds.');

    advance(30_000);
    const { browser, passwordPage, flow } = right;
    const back = await browser.follow(
      await browser.submit(passwordPage, '/login', { password: PASSWORD }),
      atRelyingParty,
    );
    expect((await flow.finish(back.url)).claims()?.sub).toBe(user.id);
    // The success ended the run: the next mistake is free again.
    expect((await tryPassword(user.email, 'wrong password')).answer.body).not.toContain('Try again in');
  });

  it('treats an email without an account like one with: the same waits, so they cannot be told apart', async () => {
    const email = `nobody.${randomUUID().slice(0, 8)}@example.test`;
    for (let attempt = 0; attempt < 5; attempt += 1) await tryPassword(email, 'guess');
    expect((await tryPassword(email, 'guess')).answer.body).toContain('Try again in 30 seconds');
    expect((await tryPassword(email, 'guess')).answer.status).toBe(429);
  });

  it('locks at the longest wait, mails the owner once, and `gatehouse mfa unlock` lifts it', async () => {
    const user = await newUser();
    const mailsBefore = state.gh.container.outbox.filter((mail) => mail.to === user.email).length;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      advance(16 * 60_000);
      expect((await tryPassword(user.email, 'wrong password')).answer.status).toBe(401);
    }
    expect((await tryPassword(user.email, PASSWORD)).answer.status).toBe(429);
    const mails = state.gh.container.outbox.filter((mail) => mail.to === user.email).slice(mailsBefore);
    expect(mails.map((mail) => mail.subject)).toEqual(['Sign-in is paused on your account']);
    const audit = await state.gh.container.db.audit.list(
      { organizationIds: [state.organizationId], action: 'login.locked', targetId: user.id },
      { limit: 5 },
    );
    expect(audit.map((entry) => entry.after)).toEqual([{ attempt: 'password' }]);

    const run = await gatehouse(['mfa', 'unlock', '--user', user.email], {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: state.gh.container.env.REDIS_KEY_PREFIX,
    });
    expect(run).toMatchObject({ code: 0, stdout: `unlocked ${user.email}\n` });
    const { answer } = await tryPassword(user.email, PASSWORD);
    expect(answer.status).toBe(303);
  });

  it('refuses an unlock from the command line without the shared store', async () => {
    const user = await newUser();
    const run = await gatehouse(['mfa', 'unlock', '--user', user.email], { DATABASE_URL: testDatabaseUrl() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs REDIS_URL');
  });
});

/** Its own server, so the address's count starts from zero (the suite above shares 127.0.0.1). */
describe('backoff on one address trying many accounts', () => {
  const { advance, newUser, tryPassword } = useBackoffServer('spray');

  it('slows an address that tries many accounts, without locking the accounts themselves', async () => {
    for (let account = 0; account < 30; account += 1) {
      const { answer } = await tryPassword(
        `spray.${account}.${randomUUID().slice(0, 6)}@example.test`,
        'Winter2026!',
      );
      expect(answer.status).toBe(401);
    }
    expect((await tryPassword(`spray.last@example.test`, 'Winter2026!')).answer.body).toContain(
      'Try again in 30 seconds',
    );
    const user = await newUser();
    expect((await tryPassword(user.email, PASSWORD)).answer.status).toBe(429);
    advance(30_000);
    expect((await tryPassword(user.email, PASSWORD)).answer.status).toBe(303);
  });
});
