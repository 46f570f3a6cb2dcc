import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { Configuration } from 'oidc-provider';
import { accountOfId, type SsoUser } from './sso.js';

/**
 * The partner IdP's oidc-provider configuration (the role Entra ID or Okta play for the customer
 * organization): one confidential client, Gatehouse, with exactly one redirect URI (the
 * connection's callback); the accounts of sso.ts with email, email_verified, name and department;
 * consent implied. Cookie names differ from Gatehouse's: both run on 127.0.0.1, and browsers (and
 * the bench's cookie jar) do not tell ports apart.
 */
export interface PartnerClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

// Explicit lifetimes: the partner's own, and oidc-provider stops printing notices for defaults.
const TTL = {
  AccessToken: 600,
  AuthorizationCode: 60,
  IdToken: 600,
  Interaction: 600,
  Session: 600,
  Grant: 600,
};

const claimsOf = (user: SsoUser) => ({
  sub: user.accountId,
  email: user.email,
  email_verified: true,
  name: user.name,
  department: user.department,
});

export async function partnerConfiguration(client: PartnerClient): Promise<Configuration> {
  const key = await generateKeyPair('RS256', { extractable: true });
  return {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: {
      keys: [{ ...(await exportJWK(key.privateKey)), kid: 'partner', alg: 'RS256', use: 'sig' }] as never,
    },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: '_partner_session', interaction: '_partner_interaction', resume: '_partner_resume' },
    } as never,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'department'],
    },
    // Every claim in the ID token too, as Entra does; Gatehouse still reads userinfo.
    conformIdTokenClaims: false,
    ttl: TTL,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // First-party to its own customer: no consent page, like the baseline's clients.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const user = accountOfId(sub);
      return user ? { accountId: sub, claims: async () => claimsOf(user) } : undefined;
    },
  };
}
