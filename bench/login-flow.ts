import { Browser, pkce } from './browser.js';
import { postForClient } from './http-client.js';
import { LOGIN_SCOPE, REDIRECT_URI, SECRET, USER, WEB_CLIENT } from './settings.js';
import { randomBytes } from 'node:crypto';

export interface LoginTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * Authorization code + PKCE through the sign-in pages, with a fresh cookie jar (no session):
 * GET /auth -> interaction page -> POST identify (email) -> POST login (password) -> resume
 * -> redirect to the RP with a code -> POST /token. Both servers serve the same form steps.
 */
export async function loginFlow(issuer: string): Promise<LoginTokens> {
  const browser = new Browser();
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  const auth = new URL(`${issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: WEB_CLIENT,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: LOGIN_SCOPE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(16).toString('base64url'),
  }).toString();
  const atCallback = (location: string) => location.startsWith(REDIRECT_URI);

  let page = await browser.follow(await browser.get(auth.href), atCallback);
  page = await browser.submit(page, '/identify', { email: USER.email });
  page = await browser.follow(await browser.submit(page, '/login', { password: USER.password }), atCallback);
  if (!atCallback(page.url))
    throw new Error(`login did not return to the RP: ${page.status} ${page.body.slice(0, 200)}`);

  const callback = new URL(page.url);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.search}`);
  const tokens = await postForClient(
    `${issuer}/token`,
    { id: WEB_CLIENT, secret: SECRET },
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    },
  );
  if (typeof tokens.access_token !== 'string') throw new Error('no access token');
  return tokens as unknown as LoginTokens;
}
