import { randomUUID } from 'node:crypto';
import type * as oidc from 'openid-client';
import { OPERATOR, createOrganization } from './tenancy.js';
import type { TestGatehouse } from './gatehouse.js';
import { discover, REDIRECT_URI } from './relying-party.js';

const SECRET = 'mfa-app-secret-0123456789abcdef0123';

/** A confidential application asking for `openid email organization`, as openid-client sees it. */
export async function signInApp(gh: TestGatehouse, label: string): Promise<oidc.Configuration> {
  const clientId = `${label.replace(/\W+/g, '-')}-app-${randomUUID()}`;
  await gh.addClient({
    client_id: clientId,
    client_secret: SECRET,
    redirect_uris: [REDIRECT_URI],
    scopes: ['openid', 'email', 'organization'],
  });
  return discover(gh.issuer, clientId, SECRET);
}

/**
 * What the two-step verification suites share: an organization requiring MFA, a relaxed one, and
 * the application (signInApp).
 */
export async function mfaOrganizationsAndApp(
  gh: TestGatehouse,
  label: string,
): Promise<{ strict: string; relaxed: string; config: oidc.Configuration }> {
  const strict = (await createOrganization(gh, `Strict ${label}`)).id;
  await gh.container.admin.organizations.update(OPERATOR, strict, { security_policies: { mfa: 'required' } });
  const relaxed = (await createOrganization(gh, `Relaxed ${label}`)).id;
  return { strict, relaxed, config: await signInApp(gh, label) };
}
