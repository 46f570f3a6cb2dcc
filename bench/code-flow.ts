import { randomBytes } from 'node:crypto';
import { pkce } from './browser.js';
import { postForClient } from './http-client.js';
import { REDIRECT_URI } from './settings.js';

/**
 * The two ends of an RP's authorization code + PKCE flow, whatever happens between them (the
 * password pages of login-flow.ts, the partner IdP of federated-flow.ts): the /auth URL with
 * state and nonce, and the redemption of the code that comes back to REDIRECT_URI.
 */
export interface LoginTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

export interface Client {
  id: string;
  secret: string;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  verifier: string;
}

export const atCallback = (location: string) => location.startsWith(REDIRECT_URI);

export function authorizationRequest(
  issuer: string,
  client: Client,
  scope: string,
  extra: Record<string, string> = {},
): AuthorizationRequest {
  const { verifier, challenge } = pkce();
  const state = randomBytes(16).toString('base64url');
  const url = new URL(`${issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: client.id,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce: randomBytes(16).toString('base64url'),
    ...extra,
  }).toString();
  return { url: url.href, state, verifier };
}

/** Checks the state of the RP callback and redeems its code at `issuer`'s token endpoint. */
export async function redeemCode(
  issuer: string,
  client: Client,
  callbackUrl: string,
  request: AuthorizationRequest,
): Promise<LoginTokens> {
  const callback = new URL(callbackUrl);
  if (callback.searchParams.get('state') !== request.state) throw new Error('state mismatch');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.search}`);
  const tokens = await postForClient(`${issuer}/token`, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: request.verifier,
  });
  if (typeof tokens.access_token !== 'string') throw new Error('no access token');
  return tokens as unknown as LoginTokens;
}
