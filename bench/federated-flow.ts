import { decodeJwt, type JWTPayload } from 'jose';
import { Browser } from './browser.js';
import { atCallback, authorizationRequest, redeemCode } from './code-flow.js';
import { SECRET } from './settings.js';
import { SSO_CLIENT, SSO_SCOPE, expectedRoles, type SsoUser } from './sso.js';

/**
 * One federated sign-in, as a browser with a fresh cookie jar does it, to the code exchange:
 * RP -> Gatehouse /auth (login_hint routes the email's verified domain to the partner) ->
 * Gatehouse interaction -> partner /auth -> partner interaction (signs the hinted account in at
 * once) -> partner resume -> Gatehouse's connection callback (Gatehouse redeems the partner's code
 * and reads userinfo: two back-channel calls) -> /interaction/<uid>/sso/complete (JIT
 * provisioning or update, role rules) -> Gatehouse resume -> RP with a code -> POST /token.
 * Nine browser requests (eight GETs, then the POST to /token), six of them to Gatehouse (as many
 * as `full_flow`), plus the two calls Gatehouse makes to the partner.
 */
const client = { id: SSO_CLIENT, secret: SECRET };

/** What an ID token of a federated sign-in must name. */
export interface FederatedExpectation {
  organizationId: string;
  /** The OIDC connection: the token's `idp`. */
  connectionId: string;
}

export async function federatedSignIn(issuer: string, user: SsoUser): Promise<JWTPayload> {
  const browser = new Browser();
  const request = authorizationRequest(issuer, client, SSO_SCOPE, { login_hint: user.email });
  const page = await browser.follow(await browser.get(request.url), atCallback);
  if (!atCallback(page.url))
    throw new Error(`federated login did not return to the RP: ${page.status} ${page.body.slice(0, 200)}`);
  const tokens = await redeemCode(issuer, client, page.url, request);
  if (!tokens.id_token) throw new Error('no ID token');
  return decodeJwt(tokens.id_token);
}

const sorted = (value: unknown) => (Array.isArray(value) ? JSON.stringify([...value].sort()) : String(value));

/**
 * The ID token speaks for this user, this organization and this connection (`idp`), with the
 * default role plus what the role rule gives engineers, so the bench cannot measure a path that
 * skipped the partner, the provisioning or the role rules.
 */
export function checkFederatedClaims(claims: JWTPayload, sso: FederatedExpectation, user: SsoUser): void {
  const roles = expectedRoles(user);
  const problems = [
    claims.org_id !== sso.organizationId ? `org_id ${String(claims.org_id)}` : '',
    claims.idp !== sso.connectionId ? `idp ${String(claims.idp)}` : '',
    claims.email !== user.email ? `email ${String(claims.email)}` : '',
    typeof claims.sub !== 'string' || claims.sub === '' ? 'no sub' : '',
    sorted(claims.roles) !== sorted(roles)
      ? `roles ${JSON.stringify(claims.roles)} (expected ${roles.join(' ')})`
      : '',
  ].filter(Boolean);
  if (problems.length > 0)
    throw new Error(`federated_login: the ID token of ${user.email} has ${problems.join(', ')}`);
}
