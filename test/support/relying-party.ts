import * as oidc from 'openid-client';
import { FormBrowser } from './form-browser.js';

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

/** openid-client, as a real relying party would configure it, against a test Gatehouse. */
export async function discover(
  issuer: string,
  clientId: string,
  clientSecret?: string,
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    clientId,
    undefined,
    clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

export interface LoginResult {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  browser: FormBrowser;
  callback: URL;
}

/**
 * Code + PKCE through the real pages: /auth, the email page, the password page, (consent), and
 * the redirect back to the RP; then the code exchange through openid-client.
 */
export async function loginWithPassword(
  config: oidc.Configuration,
  email: string,
  password: string,
  options: {
    scope?: string;
    extra?: Record<string, string>;
    browser?: FormBrowser;
    /** Organization id to pick if the organization picker appears. */
    pick?: string;
  } = {},
): Promise<LoginResult> {
  const browser = options.browser ?? new FormBrowser();
  const { page: first, finish } = await startAuthorization(config, browser, {
    scope: options.scope ?? 'openid email profile offline_access',
    ...(options.extra ? { extra: options.extra } : {}),
  });
  const atCallback = atRelyingParty;
  let page = first;
  if (!atCallback(page.url)) {
    page = await browser.submit(page, '/identify', { email });
    page = await browser.follow(await browser.submit(page, '/login', { password }), atCallback);
  }
  if (!atCallback(page.url) && page.body.includes('/organization"')) {
    if (!options.pick) throw new Error('the organization picker appeared but the test chose nothing');
    page = await browser.follow(
      await browser.submit(page, '/organization', { organization: options.pick }),
      atCallback,
    );
  }
  if (!atCallback(page.url) && page.body.includes('/confirm')) {
    page = await browser.follow(await browser.submit(page, '/confirm'), atCallback);
  }
  if (!atCallback(page.url)) throw new Error(`login did not return to the RP: ${page.status} ${page.body}`);
  return { tokens: await finish(page.url), browser, callback: new URL(page.url) };
}

/** Starts a code + PKCE authorization request in `browser`; `finish` redeems the code it returns with. */
export async function startAuthorization(
  config: oidc.Configuration,
  browser: FormBrowser,
  options: { scope?: string; extra?: Record<string, string>; stopAt?: (location: string) => boolean } = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...options.extra,
  });
  const stop = options.stopAt;
  const page = await browser.follow(
    await browser.get(url.href),
    (location) => atRelyingParty(location) || (stop?.(location) ?? false),
  );
  return {
    page,
    finish: (callback: string) =>
      oidc.authorizationCodeGrant(config, new URL(callback), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      }),
  };
}

export const atRelyingParty = (location: string) => location.startsWith(REDIRECT_URI);

/**
 * Sign-in through an organization's partner IdP: the email page (unless hints skip it), the
 * partner's sign-in form as `account`, and back through Gatehouse to the RP.
 */
export async function loginThroughPartner(
  config: oidc.Configuration,
  email: string,
  account: string,
  options: { scope?: string; extra?: Record<string, string>; browser?: FormBrowser } = {},
): Promise<LoginResult> {
  const browser = options.browser ?? new FormBrowser();
  const { page: first, finish } = await startAuthorization(config, browser, options);
  let page = first;
  if (page.body.includes('/identify"')) {
    page = await browser.follow(await browser.submit(page, '/identify', { email }), atRelyingParty);
  }
  if (!page.body.includes('Partner sign-in'))
    throw new Error(`expected the partner's page: ${page.status} ${page.body}`);
  page = await browser.follow(await browser.submit(page, '/login', { login: account }), atRelyingParty);
  if (!atRelyingParty(page.url))
    throw new Error(`login did not return to the RP: ${page.status} ${page.body}`);
  const callback = new URL(page.url);
  return { tokens: await finish(page.url), browser, callback };
}

/**
 * Email and password through the real pages, stopping at whatever comes next (a second-factor
 * page, or the RP's redirect); `finish` redeems the code once the sign-in returns.
 */
export async function passwordFirstFactor(
  config: oidc.Configuration,
  browser: FormBrowser,
  email: string,
  password: string,
  options: { scope?: string; extra?: Record<string, string> } = {},
) {
  const flow = await startAuthorization(config, browser, options);
  const passwordPage = await browser.submit(flow.page, '/identify', { email });
  const submitted = await browser.submit(passwordPage, '/login', { password });
  return { ...flow, page: await browser.follow(submitted, atRelyingParty) };
}
