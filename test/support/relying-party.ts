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
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? 'openid email profile offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...options.extra,
  });
  const atCallback = (location: string) => location.startsWith(REDIRECT_URI);
  let page = await browser.follow(await browser.get(url.href), atCallback);
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
  const callback = new URL(page.url);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { tokens, browser, callback };
}
