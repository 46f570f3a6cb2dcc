import * as client from 'openid-client';
import { createHttpFetch } from '../../lib/http-fetch.js';

// Every federated sign-in calls the IdP's token and userinfo endpoints: over kept-alive
// connections, without the built-in fetch's overhead (lib/http-fetch.ts). A discovery document
// or JWKS past a megabyte is not one.
const idpFetch = createHttpFetch({ maxBodyBytes: 1024 * 1024 });

/**
 * An OpenID Connect relying party (authorization code + PKCE, state and nonce) over
 * openid-client. The demo app uses it against Gatehouse itself; upstream OIDC connections use it
 * against partner IdPs.
 */
export interface PendingLogin {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface CompletedLogin {
  subject: string;
  idTokenClaims: Record<string, unknown>;
  idToken: string | undefined;
  accessToken: string;
  refreshToken: string | undefined;
  userinfo: Record<string, unknown>;
}

export interface RelyingParty {
  start(extra?: Record<string, string>): Promise<PendingLogin>;
  complete(callbackUrl: URL, pending: Omit<PendingLogin, 'url'>): Promise<CompletedLogin>;
  endSessionUrl(idTokenHint: string | undefined, postLogoutRedirectUri: string): string;
}

/** How the relying party authenticates at the token endpoint. */
export type ClientAuthentication =
  | { method: 'client_secret_basic' | 'client_secret_post'; secret: string }
  | { method: 'private_key_jwt'; key: CryptoKey; kid: string }
  | { method: 'none' };

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  /** Defaults to a public client (`none`). */
  authentication?: ClientAuthentication;
  redirectUri: string;
  scope: string;
  /** Seconds each request to the provider may take (openid-client's default is 30). */
  timeout?: number;
}

function clientAuth(authentication: ClientAuthentication | undefined): client.ClientAuth {
  switch (authentication?.method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(authentication.secret);
    case 'client_secret_post':
      return client.ClientSecretPost(authentication.secret);
    case 'private_key_jwt':
      return client.PrivateKeyJwt({ key: authentication.key, kid: authentication.kid });
    default:
      return client.None();
  }
}

export async function discoverRelyingParty(options: RelyingPartyOptions): Promise<RelyingParty> {
  const issuer = new URL(options.issuer);
  // Plain http is only accepted for loopback issuers (local development and the demo).
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  const config = await client.discovery(
    issuer,
    options.clientId,
    undefined,
    clientAuth(options.authentication),
    {
      execute: loopback && issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      ...(options.timeout ? { timeout: options.timeout } : {}),
      [client.customFetch]: idpFetch,
    },
  );
  config[client.customFetch] = idpFetch;
  if (options.timeout) config.timeout = options.timeout;

  return {
    async start(extra = {}) {
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: options.scope,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async complete(callbackUrl, pending) {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the token response carried no ID token');
      // OIDC Core §5.3.2: userinfo is optional; its `sub` must equal the ID token's (checked here).
      const userinfo = config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        : {};
      return {
        subject: claims.sub,
        idTokenClaims: { ...claims },
        idToken: tokens.id_token,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        userinfo: { ...userinfo },
      };
    },
    endSessionUrl(idTokenHint, postLogoutRedirectUri) {
      const params: Record<string, string> = { post_logout_redirect_uri: postLogoutRedirectUri };
      if (idTokenHint) params.id_token_hint = idTokenHint;
      return client.buildEndSessionUrl(config, params).href;
    },
  };
}
