import { randomBytes } from 'node:crypto';
import { REDIRECT_URI, SECRET } from './settings.js';

/**
 * The enterprise SSO tenancy of `federated_login` and `saml_acs`, on Gatehouse only: one
 * organization owning the verified domain SSO_DOMAIN, with a default role and a role rule, and
 * - for federated_login: an OIDC connection to the bench's partner IdP (partner-idp.ts, its own
 *   process), a routing rule sending the domain there, and a first-party client for the RP;
 * - for saml_acs: a SAML connection to a SAML IdP whose key the load driver holds (saml-idp.ts),
 *   accepting IdP-initiated responses for a portal client.
 * Deterministic, so the seeding (sso-seeding.ts), the IdPs' accounts and the scenarios' checks agree.
 */
export const SSO_DOMAIN = 'sso.bench.test';
export const SSO_ORGANIZATION = { slug: 'bench-sso', name: 'Bench SSO Customer' };
export const SSO_CONNECTION_KEY = 'partner';
export const SSO_DEFAULT_ROLE = 'member';
/** Given by the role rule to users the partner puts in the Engineering department. */
export const SSO_RULE_ROLE = 'engineering';
export const SSO_ROLES = [
  { name: SSO_DEFAULT_ROLE, permissions: ['wiki:read'] },
  { name: SSO_RULE_ROLE, permissions: ['code:read', 'code:write'] },
];
export const SSO_ROLE_RULE = { condition: "department in ['Engineering']", assign_role: SSO_RULE_ROLE };
/** The partner's `department` claim, under the same name, is the only custom attribute rules see. */
export const SSO_ATTRIBUTE_MAP = { department: 'department' };

export const SSO_CLIENT = 'sso-web-app';
export const SSO_SCOPE = 'openid email profile organization roles';
export const SSO_CLIENT_DEFINITION = {
  client_id: SSO_CLIENT,
  client_secret: SECRET,
  redirect_uris: [REDIRECT_URI],
  scopes: ['openid', 'email', 'profile', 'organization', 'roles'],
};

export const SAML_CONNECTION_KEY = 'saml-partner';
export const SAML_IDP_ENTITY_ID = 'https://idp.bench.test/saml';
/** Never requested: IdP-initiated responses are checked by signature, not by fetching anything. */
export const SAML_IDP_SSO_URL = 'https://idp.bench.test/saml/sso';
/** The application IdP-initiated sign-ins land in (SAML connection's idp_initiated_client). */
export const SAML_PORTAL_CLIENT = 'sso-portal';
/** Where Gatehouse sends the browser after an IdP-initiated response (never requested by the bench). */
export const SAML_PORTAL_LOGIN_URI = 'https://portal.bench.test/login';
export const SAML_PORTAL_CLIENT_DEFINITION = {
  client_id: SAML_PORTAL_CLIENT,
  client_secret: SECRET,
  redirect_uris: [REDIRECT_URI],
  scopes: ['openid', 'email', 'profile', 'organization', 'roles'],
  initiate_login_uri: SAML_PORTAL_LOGIN_URI,
};

/** How many accounts the partner knows; the scenario's pool uses the first `workers` of them. */
export const PARTNER_ACCOUNTS = 1024;

export interface SsoUser {
  /** The partner's account id: the `sub` it asserts. */
  accountId: string;
  email: string;
  name: string;
  department: 'Engineering' | 'Sales';
}

/** Partner account `n`: even numbers are engineers (the role rule gives them a second role). */
export function ssoUser(n: number): SsoUser {
  const accountId = `bench-sso-${n}`;
  return {
    accountId,
    email: `${accountId}@${SSO_DOMAIN}`,
    name: `Bench SSO User ${n}`,
    department: n % 2 === 0 ? 'Engineering' : 'Sales',
  };
}

/** The roles Gatehouse should give `user` in the organization (default role + role rule). */
export const expectedRoles = (user: SsoUser): string[] =>
  user.department === 'Engineering' ? [SSO_DEFAULT_ROLE, SSO_RULE_ROLE] : [SSO_DEFAULT_ROLE];

/** The partner account `bench-sso-<n>`; undefined outside the partner's accounts. */
export function accountOfId(accountId: string): SsoUser | undefined {
  const match = /^bench-sso-(\d{1,6})$/.exec(accountId);
  const n = match ? Number(match[1]) : PARTNER_ACCOUNTS;
  return n < PARTNER_ACCOUNTS ? ssoUser(n) : undefined;
}

/** The partner account of the email it receives as login_hint; undefined for any other email. */
export function accountOfEmail(email: string): SsoUser | undefined {
  const at = email.lastIndexOf('@');
  return email.slice(at + 1) === SSO_DOMAIN ? accountOfId(email.slice(0, at)) : undefined;
}

/** Where the partner will listen and the client it knows Gatehouse as, fixed before either starts. */
export interface PartnerPlan {
  issuer: string;
  port: number;
  clientId: string;
  clientSecret: string;
}

export const planPartner = (port: number): PartnerPlan => ({
  issuer: `http://127.0.0.1:${port}`,
  port,
  clientId: 'gatehouse-bench',
  clientSecret: randomBytes(24).toString('base64url'),
});

/** Environment of the Gatehouse child: seed the SSO tenancy against this partner, this SAML IdP. */
export const SEED_SSO_ENV = {
  issuer: 'BENCH_PARTNER_ISSUER',
  clientId: 'BENCH_PARTNER_CLIENT_ID',
  clientSecret: 'BENCH_PARTNER_CLIENT_SECRET',
  samlIdpCertificate: 'BENCH_SAML_IDP_CERTIFICATE',
} as const;

/** Environment of the partner child: its client for Gatehouse and that client's one redirect URI. */
export const PARTNER_ENV = {
  clientId: 'PARTNER_CLIENT_ID',
  clientSecret: 'PARTNER_CLIENT_SECRET',
  redirectUri: 'PARTNER_REDIRECT_URI',
} as const;

/** What the Gatehouse child reports about the SSO seeding (ids the scenarios check answers against). */
export interface SsoSeeding {
  organizationId: string;
  /** The OIDC connection to the partner, when federated_login is selected. */
  oidcConnectionId?: string;
  /** The SAML connection, when saml_acs is selected. */
  samlConnectionId?: string;
  ms: number;
}

/** A SAML IdP's signing key and certificate (PEM). */
export interface SamlIdpCredential {
  certificate: string;
  privateKey: string;
}

/** The SSO tenancy as the scenarios see it: the seeding, the partner process, the SAML IdP's key. */
export interface SsoFixture extends SsoSeeding {
  partner?: { issuer: string; pid: number };
  samlIdp?: SamlIdpCredential;
}
