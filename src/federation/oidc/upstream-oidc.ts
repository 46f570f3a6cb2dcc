import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import {
  discoverRelyingParty,
  type ClientAuthentication,
  type CompletedLogin,
  type PendingLogin,
  type RelyingParty,
} from './relying-party.js';

/** An upstream OIDC connection as the sign-in needs it: settings plus the opened secret. */
export interface OidcConnection {
  id: string;
  issuer: string;
  clientId: string;
  scopes: string[];
  authentication: ClientAuthentication;
  /** Part of the cache key: an edited connection is discovered again at once. */
  updatedAt: Date;
}

export type UpstreamOidcPending = Omit<PendingLogin, 'url'>;

export interface UpstreamOidc {
  /** The authorization request to send the browser to, and what the callback must check. */
  start(connection: OidcConnection, extra?: Record<string, string>): Promise<PendingLogin>;
  /** Redeems the code (PKCE, state, nonce, ID token checks by openid-client) and reads userinfo. */
  complete(
    connection: OidcConnection,
    callbackUrl: URL,
    pending: UpstreamOidcPending,
  ): Promise<UpstreamIdentity>;
}

export interface UpstreamOidcOptions {
  /** The redirect URI registered at the IdP for one connection. */
  redirectUri(connectionId: string): string;
  /** How long a discovery document is reused (default one hour). */
  discoveryTtlMs?: number;
  now?: () => number;
}

/** RFC 8176 method values only; anything else an IdP invents is dropped. */
const AMR_VALUES = new Set([
  'face',
  'fpt',
  'geo',
  'hwk',
  'iris',
  'kba',
  'mca',
  'mfa',
  'otp',
  'pin',
  'pwd',
  'rba',
  'retina',
  'sc',
  'sms',
  'swk',
  'tel',
  'user',
  'vbm',
  'wia',
]);

export function identityFromLogin(connectionId: string, login: CompletedLogin): UpstreamIdentity {
  // ID token claims win over userinfo: they are signed and bound to this login's nonce.
  const claims = { ...login.userinfo, ...login.idTokenClaims };
  const verified = claims.email_verified;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((value) => AMR_VALUES.has(String(value))) : [];
  return {
    connectionId,
    protocol: 'oidc',
    subject: login.subject,
    claims,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    // Some IdPs (Cognito) send the boolean as a string.
    emailVerified: verified === undefined ? undefined : verified === true || verified === 'true',
    authenticationMethods: amr.map(String),
    authenticatedAt: typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000) : undefined,
  };
}

/**
 * Sign-in at partner OIDC IdPs. Discovery documents are cached per connection so a login costs
 * the IdP two requests (token, userinfo), not three; a failed discovery is not cached.
 */
export function createUpstreamOidc(options: UpstreamOidcOptions): UpstreamOidc {
  const ttl = options.discoveryTtlMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; party: Promise<RelyingParty> }>();

  const relyingParty = (connection: OidcConnection) => {
    const key = `${connection.id}:${connection.updatedAt.getTime()}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttl) return hit.party;
    for (const stale of cache.keys()) if (stale.startsWith(`${connection.id}:`)) cache.delete(stale);
    const party = discoverRelyingParty({
      issuer: connection.issuer,
      clientId: connection.clientId,
      authentication: connection.authentication,
      redirectUri: options.redirectUri(connection.id),
      scope: connection.scopes.join(' '),
      timeout: 10,
    });
    cache.set(key, { at: now(), party });
    party.catch(() => cache.delete(key));
    return party;
  };

  return {
    async start(connection, extra) {
      return (await relyingParty(connection)).start(extra);
    },
    async complete(connection, callbackUrl, pending) {
      const login = await (await relyingParty(connection)).complete(callbackUrl, pending);
      return identityFromLogin(connection.id, login);
    },
  };
}
