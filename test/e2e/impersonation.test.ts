import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { ClientDefinition } from '../../src/domain/clients/client-definition.js';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import {
  ACCESS_TOKEN_TYPE,
  IMPERSONATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
} from '../../src/domain/tokens/token-exchange-policy.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { addMember, createOrganization } from '../support/tenancy.js';

const SECRET = 'support-console-secret-long-enough-0123456789';
const API = `https://api.example.test/claims-${randomUUID()}`;
const REASON = 'Ticket 4711: the user cannot see their claims list';

/**
 * Support impersonation end to end over HTTP: a platform operator's key requests access to a
 * member, an admin of the organization approves it where the policy says so, the operator's
 * console exchanges the handle for a token (RFC 8693) naming the operator in `act`, bounded by the
 * approved permissions and the end of the impersonation; revocation stops it at once; every step
 * is in the audit log.
 */
describe('support impersonation through token exchange', () => {
  let gh: TestGatehouse;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let operator: AdminApi;
  let operatorKeyId: string;
  let orgAdmin: AdminApi;
  let acme: OrganizationRecord;
  let open: OrganizationRecord;
  let closed: OrganizationRecord;
  let other: OrganizationRecord;
  const console_ = `support-console-${randomUUID()}`;
  const exchanger = `plain-exchanger-${randomUUID()}`;

  const client = (clientId: string, exchange: ClientDefinition['token_exchange']): ClientDefinition => ({
    client_id: clientId,
    client_secret: SECRET,
    grant_types: [TOKEN_EXCHANGE_GRANT],
    resources: [API],
    scopes: ['claims:read', 'claims:write'],
    ...(exchange ? { token_exchange: exchange } : {}),
  });

  const post = async (path: string, params: Record<string, string>, clientId = console_) => {
    const response = await fetch(`${gh.issuer}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const exchange = (handle: string, extra: Record<string, string> = {}, clientId = console_) =>
    post(
      '/token',
      {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: handle,
        subject_token_type: IMPERSONATION_TOKEN_TYPE,
        ...extra,
      },
      clientId,
    );
  const introspect = (token: string) => post('/token/introspection', { token });
  const verify = async (token: unknown) =>
    (await jwtVerify(String(token), jwks, { issuer: gh.issuer, audience: API, typ: 'at+jwt' })).payload;

  /** A member of acme (and of `other`) whose role grants claims:read, claims:write and billing:read. */
  const member = async (organization = acme) => {
    const userId = await gh.addUser(`member-${randomUUID()}@example.test`, 'correct horse battery');
    await addMember(gh, organization.id, userId, ['agent']);
    await addMember(gh, other.id, userId, ['agent']);
    return userId;
  };
  const request = (organization: OrganizationRecord, body: Json, api = operator) =>
    api.call(`/organizations/${organization.slug}/impersonations`, { method: 'POST', json: body });
  const requested = async (organization: OrganizationRecord, body: Json) => {
    const response = await request(organization, body);
    const json = (await response.json()) as Json;
    if (response.status !== 201) throw new Error(`request: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const step = (organization: OrganizationRecord, id: string, verb: string, api: AdminApi) =>
    api.call(`/organizations/${organization.slug}/impersonations/${id}/${verb}`, { method: 'POST' });
  const trail = async (id: string) =>
    (await gh.container.db.audit.list({ targetType: 'impersonation', targetId: id }, { limit: 50 })).map(
      (record) => record.action,
    );

  const withPolicy = async (name: string, impersonation: Json | undefined) => {
    const organization = await createOrganization(gh, name, {
      roles: [{ name: 'agent', permissions: ['claims:read', 'claims:write', 'billing:read'] }],
    });
    if (impersonation) {
      await operator.expect(200, `/organizations/${organization.slug}`, {
        method: 'PATCH',
        json: { security_policies: { impersonation } },
      });
    }
    return organization;
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const key = await adminKey(gh);
    operator = adminApi(gh, key);
    operatorKeyId = (await gh.container.admin.apiKeys.authenticate(key))!.actor.id;
    await gh.addClient(client(console_, { impersonation: true }));
    await gh.addClient(client(exchanger, undefined));
    acme = await withPolicy('Acme Claims', { allowed: true, approval: 'org_admin', max_duration: '30m' });
    open = await withPolicy('Open Support', { allowed: true, approval: 'none' });
    closed = await withPolicy('Closed Shop', undefined);
    other = await withPolicy('Other Tenant', { allowed: true, approval: 'none' });
    orgAdmin = adminApi(gh, await adminKey(gh, acme.slug));
  });
  afterAll(() => gh?.stop());

  it('needs approval where the policy says so: refused before, bounded by the approval after', async () => {
    const userId = await member();
    const body = await requested(acme, {
      user: userId,
      reason: REASON,
      scope: { permissions: ['claims:read', 'billing:read', 'admin:delete'] },
      duration: '30m',
    });
    expect(body).toMatchObject({
      id: expect.stringMatching(/^imp_/),
      status: 'requested',
      operator: { type: 'api_key', id: operatorKeyId },
      handle: expect.stringMatching(/^ghimp_/),
      approver: null,
    });
    const { id, handle } = body as { id: string; handle: string };
    expect(await exchange(handle)).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'the impersonation is waiting for an organization admin’s approval',
      },
    });
    // The operator cannot approve its own request, and no environment key approves at all.
    await expectProblem(await step(acme, id, 'approve', operator), 403, 'forbidden');
    const approved = await orgAdmin.expect(200, `/organizations/${acme.slug}/impersonations/${id}/approve`, {
      method: 'POST',
    });
    expect(approved).toMatchObject({ status: 'approved', approver: { type: 'api_key' } });

    const issued = await exchange(handle);
    expect(issued.status).toBe(200);
    const claims = await verify(issued.body.access_token);
    expect(claims).toMatchObject({
      sub: userId,
      client_id: console_,
      org_id: acme.id,
      roles: [],
      // The approval named three; the user holds two of them; admin:delete never appears.
      permissions: ['billing:read', 'claims:read'],
      act: { sub: `api_key:${operatorKeyId}` },
      impersonation: { id, read_only: false },
      // API scopes only as far as the approved permissions name them.
      scope: 'claims:read',
    });
    const started = await orgAdmin.expect(200, `/organizations/${acme.slug}/impersonations/${id}`);
    expect(started.status).toBe('active');
    const endsAt = Date.parse(started.ends_at as string);
    expect(endsAt - Date.parse(started.started_at as string)).toBe(30 * 60 * 1000);
    expect(claims.exp! * 1000).toBeLessThanOrEqual(endsAt);

    expect((await introspect(String(issued.body.access_token))).body).toMatchObject({
      active: true,
      sub: userId,
      act: { sub: `api_key:${operatorKeyId}` },
      permissions: ['billing:read', 'claims:read'],
    });
    // No more than the approval: a scope beyond it, another organization of the same user.
    expect((await exchange(handle, { scope: 'claims:write' })).body).toMatchObject({
      error: 'invalid_scope',
      scope: 'claims:write',
    });
    expect((await exchange(handle, { organization: other.slug })).body).toEqual({
      error: 'invalid_target',
      error_description: 'an impersonation is for its own organization only',
    });
  });

  it('ends at once on revocation: introspection inactive, exchanges refused, every step audited', async () => {
    const userId = await member();
    const { id, handle } = await requested(acme, {
      user: userId,
      reason: REASON,
      scope: { permissions: ['claims:read'] },
      duration: '15m',
    });
    await orgAdmin.expect(200, `/organizations/${acme.slug}/impersonations/${id}/approve`, {
      method: 'POST',
    });
    const token = String((await exchange(handle)).body.access_token);
    expect((await introspect(token)).body.active).toBe(true);

    const revoked = await orgAdmin.expect(200, `/organizations/${acme.slug}/impersonations/${id}/revoke`, {
      method: 'POST',
    });
    expect(revoked).toMatchObject({ status: 'revoked', ended_by: expect.stringMatching(/^api_key:/) });
    expect((await introspect(token)).body).toEqual({ active: false });
    expect((await exchange(handle)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the impersonation has ended',
    });
    expect(await trail(id)).toEqual(
      expect.arrayContaining([
        'impersonation.request',
        'impersonation.approve',
        'impersonation.start',
        'impersonation.token_issued',
        'impersonation.revoke',
      ]),
    );
    const [request] = await gh.container.db.audit.list(
      { action: 'impersonation.request', targetId: id },
      { limit: 1 },
    );
    expect(request).toMatchObject({
      organizationId: acme.id,
      actor: { type: 'api_key', id: operatorKeyId },
      after: { reason: REASON, permissions: ['claims:read'], durationSeconds: 900, status: 'requested' },
    });
    const [approval] = await gh.container.db.audit.list(
      { action: 'impersonation.approve', targetId: id },
      { limit: 1 },
    );
    expect(approval).toMatchObject({ after: { approver: { type: 'api_key' }, status: 'approved' } });
    const [exchanged] = await gh.container.db.audit.list(
      { action: 'token.exchange', targetId: userId },
      { limit: 1 },
    );
    expect(exchanged).toMatchObject({
      actor: { type: 'client', id: console_ },
      after: { impersonation_id: id },
    });
    expect(JSON.stringify(await gh.container.db.audit.list({ targetId: id }, { limit: 50 }))).not.toContain(
      handle,
    );
  });

  it('issues read-only tokens with no roles, permissions or API scopes, at once where no approval is asked', async () => {
    const userId = await member(open);
    const body = await requested(open, { user: userId, reason: REASON, scope: 'read_only', duration: '10m' });
    expect(body).toMatchObject({ status: 'approved', scope: 'read_only' });
    const { status, body: issued } = await exchange(body.handle as string, { audience: API });
    expect(status).toBe(200);
    expect(issued.scope).toBeUndefined();
    const claims = await verify(issued.access_token);
    expect(claims).toMatchObject({
      sub: userId,
      org_id: open.id,
      roles: [],
      permissions: [],
      impersonation: { id: body.id, read_only: true },
    });
    expect((await exchange(body.handle as string, { scope: 'claims:read' })).body).toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('refuses requests the policy, the membership or the operator’s standing do not allow', async () => {
    const userId = await member();
    const base = { user: userId, reason: REASON, scope: 'read_only', duration: '10m' };
    await expectProblem(await request(closed, base), 422, 'impersonation_not_allowed');
    await expectProblem(await request(acme, { ...base, duration: '45m' }), 422, 'duration_too_long');
    await expectProblem(await request(acme, { ...base, duration: '2h' }), 400, 'invalid_request');
    await expectProblem(
      await request(acme, { ...base, scope: { permissions: ['claims:*'] } }),
      400,
      'invalid_request',
    );
    const stranger = await gh.addUser(`stranger-${randomUUID()}@example.test`, 'correct horse battery');
    await expectProblem(await request(acme, { ...base, user: stranger }), 422, 'not_a_member');
    // An organization's own key is not a support operator.
    await expectProblem(await request(acme, base, orgAdmin), 403, 'forbidden');
    // Nothing was written for the refused requests.
    expect(await gh.container.db.impersonations.list({ userId }, { limit: 10 })).toEqual([]);
  });

  it('refuses a denied request, and answers protocol errors to clients and handles that do not qualify', async () => {
    const userId = await member();
    const { id, handle } = await requested(acme, {
      user: userId,
      reason: REASON,
      scope: 'read_only',
      duration: '5m',
    });
    expect((await exchange(handle, {}, exchanger)).body).toEqual({
      error: 'unauthorized_client',
      error_description: 'this client may not exchange impersonation handles',
    });
    expect(
      (await exchange(handle, { actor_token: handle, actor_token_type: ACCESS_TOKEN_TYPE })).body,
    ).toMatchObject({ error: 'invalid_request' });
    expect((await exchange('ghimp_not-a-handle')).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the impersonation handle is not valid',
    });
    await orgAdmin.expect(200, `/organizations/${acme.slug}/impersonations/${id}/deny`, { method: 'POST' });
    expect((await exchange(handle)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the impersonation was denied',
    });
    await expectProblem(await step(acme, id, 'approve', orgAdmin), 409, 'impersonation_state');
    expect(await trail(id)).toEqual(expect.arrayContaining(['impersonation.request', 'impersonation.deny']));
    // Another tenant's key sees nothing of it.
    const outsider = adminApi(gh, await adminKey(gh, other.slug));
    await expectProblem(await outsider.call(`/organizations/${acme.slug}/impersonations/${id}`), 404);
  });
});
