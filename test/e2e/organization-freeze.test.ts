import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { clientRecordFrom } from '../../src/domain/clients/client-catalog.js';
import { clientDefinitionSchema } from '../../src/domain/clients/client-definition.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, uniqueSlug } from '../support/tenancy.js';
import { startLogoutReceiver, verifyLogoutToken, type LogoutReceiver } from './sessions-fixture.js';

const PASSWORD = 'correct horse battery';
const SECRET = 'freeze-app-secret-0123456789abcdef-long';
const SCOPE = 'openid email organization offline_access';

/**
 * The kill switch with a real relying party (openid-client) holding an access and a refresh
 * token: freezing ends its grant (refresh invalid_grant, introspection inactive), tells it over
 * back-channel logout, and refuses new sign-ins with a page; unfreezing lets sign-ins in again.
 */
describe('freezing an organization', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let receiver: LogoutReceiver;
  let config: oidc.Configuration;
  const clientId = `freeze-app-${randomUUID().slice(0, 8)}`;

  const introspect = async (token: string) => {
    const response = await fetch(`${gh.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    return (await response.json()) as Json;
  };
  const signIn = (email: string, organizationId: string) =>
    loginWithPassword(config, email, PASSWORD, { scope: SCOPE, extra: { organization: organizationId } });
  const newMember = async (organizationId: string) => {
    const email = `frozen-${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organizationId, id, []);
    return { email, id };
  };
  const newOrganization = (name: string, parent?: string): Promise<Json> =>
    api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: uniqueSlug(name), name, ...(parent ? { parent } : {}) },
    });

  beforeAll(async () => {
    gh = await startGatehouse({ WEBHOOK_POLL_MS: '100' });
    api = adminApi(gh, await adminKey(gh));
    receiver = await startLogoutReceiver();
    // Back-channel logout without `sid` required: a freeze also ends offline grants (no session).
    const definition = clientDefinitionSchema.parse({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'offline_access'],
      grant_types: ['authorization_code', 'refresh_token'],
      backchannel_logout_uri: receiver.url,
      backchannel_logout_session_required: false,
    });
    await gh.container.db.clients.upsert(clientRecordFrom(definition, gh.container.envelope, null, null));
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(async () => {
    await gh?.stop();
    await receiver?.close();
  });

  it('revokes the sub-organization’s tokens, tells the RP, refuses sign-in, and unfreezes', async () => {
    const root = await newOrganization('Frozen Co');
    const child = await newOrganization('Frozen Sub', root.id);
    const user = await newMember(child.id);
    const { tokens } = await signIn(user.email, child.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await introspect(tokens.access_token)).toMatchObject({ active: true, sub: user.id });

    const frozen = await api.expect(200, `/organizations/${root.id}/freeze`, {
      method: 'POST',
      json: { reason: 'unpaid invoices' },
    });
    expect(frozen.organization).toMatchObject({
      frozen_reason: 'unpaid invoices',
      frozen_at: expect.any(String),
    });
    expect(frozen.revoked.sessions + frozen.revoked.grants).toBeGreaterThanOrEqual(1);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    const [receipt] = await receiver.received(1);
    expect(await verifyLogoutToken(gh.issuer, clientId, receipt!.token)).toMatchObject({ sub: user.id });
    await expect(signIn(user.email, child.id)).rejects.toThrow(
      /403[\s\S]*temporarily frozen by the operator/,
    );

    const audit = await api.expect(200, `/audit?action=organization.frozen&target_id=${root.id}`);
    expect(audit.data).toHaveLength(1);

    const thawed = await api.expect(200, `/organizations/${root.id}/unfreeze`, { method: 'POST' });
    expect(thawed).toMatchObject({ frozen_at: null, frozen_reason: null });
    const again = await signIn(user.email, child.id);
    expect(await introspect(again.tokens.access_token)).toMatchObject({ active: true });
    // What the freeze revoked stays revoked.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('leaves other organizations alone', async () => {
    const frozen = await newOrganization('Kill Switched');
    const bystander = await newOrganization('Bystander');
    const user = await newMember(bystander.id);
    const { tokens } = await signIn(user.email, bystander.id);
    await api.expect(200, `/organizations/${frozen.id}/freeze`, {
      method: 'POST',
      json: { reason: 'abuse' },
    });
    expect(await introspect(tokens.access_token)).toMatchObject({ active: true });
    await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  });

  it('is for operators only, and 404 for organizations a key cannot see', async () => {
    const own = await newOrganization('Self Freezer');
    const other = await newOrganization('Someone Else');
    const delegated = adminApi(gh, await adminKey(gh, own.id));
    const body = { method: 'POST', json: { reason: 'mine' } };
    await expectProblem(await delegated.call(`/organizations/${own.id}/freeze`, body), 403, 'forbidden');
    await expectProblem(await delegated.call(`/organizations/${other.id}/freeze`, body), 404, 'not_found');
    await expectProblem(await api.call(`/organizations/${own.id}/freeze`, { method: 'POST', json: {} }), 400);
    await expectProblem(
      await api.call(`/organizations/org_missing/freeze`, { method: 'POST', json: { reason: 'x' } }),
      404,
      'not_found',
    );
  });
});
