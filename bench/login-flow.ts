import { Browser, type Page } from './browser.js';
import { atCallback, authorizationRequest, redeemCode, type LoginTokens } from './code-flow.js';
import { LOGIN_SCOPE, SECRET, USER, WEB_CLIENT } from './settings.js';

export type { LoginTokens } from './code-flow.js';

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
  const request = authorizationRequest(issuer, client, options.scope ?? LOGIN_SCOPE, {
    ...(options.organization ? { organization: options.organization } : {}),
    ...(options.resource ? { resource: options.resource } : {}),
  });

  let page = await browser.follow(await browser.get(request.url), atCallback);
  page = await browser.submit(page, '/identify', { email: user.email });
  page = await browser.follow(await browser.submit(page, '/login', { password: user.password }), atCallback);
  if (!atCallback(page.url) && page.status === 200 && page.body.includes('/organization"')) {
    const organization = options.organization ?? firstChoice(page);
    page = await browser.follow(await browser.submit(page, '/organization', { organization }), atCallback);
  }
  if (!atCallback(page.url))
    throw new Error(`login did not return to the RP: ${page.status} ${page.body.slice(0, 200)}`);

  return redeemCode(issuer, client, page.url, request);
}
