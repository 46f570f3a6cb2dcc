import { randomBytes } from 'node:crypto';
import { Browser, pkce, type Page } from './browser.js';
import { postForClient } from './http-client.js';
import { LOGIN_SCOPE, REDIRECT_URI, SECRET, USER, WEB_CLIENT } from './settings.js';

export interface LoginTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

export interface LoginOptions {
  /** Who signs in; the bench user by default. */
  user?: { email: string; password: string };
  /** The client, confidential (client_secret_basic); the web client by default. */
  client?: { id: string; secret: string };
  scope?: string;
  /** Sent as the `organization` authorization parameter (Gatehouse: id or slug). */
  organization?: string;
  /** Sent as the `resource` authorization parameter (RFC 8707): the access token is a JWT for that API. */
  resource?: string;
}

/** The first radio choice on Gatehouse's organization picker (the one it checks by default). */
function firstChoice(page: Page): string {
  const input = /<input[^>]*type="radio"[^>]*name="organization"[^>]*>/.exec(page.body)?.[0];
  const value = input && /value="([^"]+)"/.exec(input)?.[1];
  if (!value) throw new Error(`organization picker without a choice: ${page.body.slice(0, 200)}`);
  return value;
}

/**
 * Authorization code + PKCE through the sign-in pages, with a fresh cookie jar (no session):
 * GET /auth -> interaction page -> POST identify (email) -> POST login (password) -> resume
 * -> redirect to the RP with a code -> POST /token. Both servers serve the same form steps.
 * On Gatehouse, a user of several organizations who signs in without `organization` gets the
 * organization picker after the password: the flow submits `organization` there (or the first
 * choice). With `organization` given, Gatehouse settles it at the password step and shows none.
 */
export async function loginFlow(issuer: string, options: LoginOptions = {}): Promise<LoginTokens> {
  const user = options.user ?? USER;
  const client = options.client ?? { id: WEB_CLIENT, secret: SECRET };
  const browser = new Browser();
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  const auth = new URL(`${issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: client.id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: options.scope ?? LOGIN_SCOPE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(16).toString('base64url'),
    ...(options.organization ? { organization: options.organization } : {}),
    ...(options.resource ? { resource: options.resource } : {}),
  }).toString();
  const atCallback = (location: string) => location.startsWith(REDIRECT_URI);

  let page = await browser.follow(await browser.get(auth.href), atCallback);
  page = await browser.submit(page, '/identify', { email: user.email });
  page = await browser.follow(await browser.submit(page, '/login', { password: user.password }), atCallback);
  if (!atCallback(page.url) && page.status === 200 && page.body.includes('/organization"')) {
    const organization = options.organization ?? firstChoice(page);
    page = await browser.follow(await browser.submit(page, '/organization', { organization }), atCallback);
  }
  if (!atCallback(page.url))
    throw new Error(`login did not return to the RP: ${page.status} ${page.body.slice(0, 200)}`);

  const callback = new URL(page.url);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.search}`);
  const tokens = await postForClient(`${issuer}/token`, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  if (typeof tokens.access_token !== 'string') throw new Error('no access token');
  return tokens as unknown as LoginTokens;
}
