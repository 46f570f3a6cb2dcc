import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { connectPartnerIdp, type PartnerIdp } from '../support/partner-idp.js';
import { discover, loginThroughPartner, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import { createOrganization, OPERATOR, uniqueSlug } from '../support/tenancy.js';

const SECRET = 'partner-sso-app-secret-0123456789abcdef';
const SCOPE = 'openid email organization roles';

/**
 * A partner whose home organization signs in only through its own IdP asks an application for the
 * target organization directly: home realm discovery sends them to their own IdP (the target
 * admits their organization through a trust rule) and the token states the rule's permissions.
 * An organization without a rule is still refused before any IdP is asked.
 */
describe('partner federation through the home organization’s IdP', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let idp: PartnerIdp;
  let config: oidc.Configuration;
  let brokers: OrganizationRecord;
  let underwriters: OrganizationRecord;
  let strangers: OrganizationRecord;
  const domain = `${randomUUID().slice(0, 8)}.brokers.test`;
  const clientId = `partner-sso-app-${randomUUID()}`;
  const federation = uniqueSlug('sso_trust');

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    brokers = await createOrganization(gh, 'SSO Brokers', {
      roles: [{ name: 'broker', permissions: ['submit_policies'] }],
      defaultRole: 'broker',
    });
    underwriters = await createOrganization(gh, 'SSO Underwriters', {
      roles: [{ name: 'underwriter', permissions: ['*'], admin: true }],
    });
    strangers = await createOrganization(gh, 'SSO Strangers');
    await gh.container.admin.domains.add(OPERATOR, brokers.id, { domain, verified: true });
    ({ partner: idp } = await connectPartnerIdp(api, gh.issuer, brokers.id));
    await api.expect(200, `/organizations/${brokers.id}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain, connection: 'partner', priority: 1 }], fallback_connection: null },
    });
    await api.expect(200, `/organizations/${brokers.id}`, {
      method: 'PATCH',
      json: { domain_policy: { sso_required: true, auto_join: false, allow_local_passwords: false } },
    });
    await api.expect(201, '/federations', {
      method: 'POST',
      json: { slug: federation, members: [brokers.slug, underwriters.slug, strangers.slug] },
    });
    await api.expect(201, `/federations/${federation}/rules`, {
      method: 'POST',
      json: { source: brokers.slug, target: underwriters.slug, permissions: ['submit_quotes'] },
    });
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'roles'],
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(async () => {
    await idp?.stop();
    await gh?.stop();
  });

  const brokerAccount = () => {
    const id = `b-${randomUUID().slice(0, 8)}`;
    const email = `${id}@${domain}`;
    idp.accounts.set(id, { email, email_verified: true });
    return { id, email };
  };

  it("routes the partner to their own IdP and states the rule's permissions for the target", async () => {
    const broker = brokerAccount();
    const { tokens } = await loginThroughPartner(config, broker.email, broker.id, {
      scope: SCOPE,
      extra: { organization: underwriters.slug },
    });
    expect(tokens.claims()).toMatchObject({
      email: broker.email,
      org_id: underwriters.id,
      roles: [],
      permissions: ['submit_quotes'],
      home_org_id: brokers.id,
      home_org_slug: brokers.slug,
      federation,
    });
  });

  it('refuses, before any IdP is asked, an organization that has no rule for the partner', async () => {
    const broker = brokerAccount();
    const before = idp.signIns;
    const browser = new FormBrowser();
    const { page } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { organization: strangers.slug },
    });
    const refused = await browser.submit(page, '/identify', { email: broker.email });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('Partner sign-in');
    expect(idp.signIns).toBe(before);
  });
});
