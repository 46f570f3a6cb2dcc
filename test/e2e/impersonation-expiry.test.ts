import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import {
  IMPERSONATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
} from '../../src/domain/tokens/token-exchange-policy.js';
import { adminApi, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { addMember, createOrganization } from '../support/tenancy.js';

const SECRET = 'support-console-secret-long-enough-0123456789';
const API = `https://api.example.test/expiry-${randomUUID()}`;
const MINUTE = 60_000;

/**
 * An impersonation ends at its deadline and a request never started expires, on the clock the
 * server is given (moved here instead of waited for): exchanges are refused from then on, its
 * tokens introspect inactive, and the end is written to the audit log by the system.
 */
describe('support impersonation deadlines', () => {
  let gh: TestGatehouse;
  let operator: AdminApi;
  let organization: OrganizationRecord;
  let offset = 0;
  const consoleId = `expiry-console-${randomUUID()}`;

  const post = async (path: string, params: Record<string, string>) => {
    const response = await fetch(`${gh.issuer}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${consoleId}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(params),
    });
    return (await response.json()) as Json;
  };
  const exchange = (handle: string) =>
    post('/token', {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: handle,
      subject_token_type: IMPERSONATION_TOKEN_TYPE,
    });
  const request = async (duration: string) => {
    const userId = await gh.addUser(`member-${randomUUID()}@example.test`, 'correct horse battery');
    await addMember(gh, organization.id, userId, ['agent']);
    return operator.expect(201, `/organizations/${organization.slug}/impersonations`, {
      method: 'POST',
      json: { user: userId, reason: 'Ticket 99: billing page is empty', scope: 'read_only', duration },
    });
  };
  const audited = async (action: string, id: string) =>
    (await gh.container.db.audit.list({ action, targetId: id }, { limit: 5 }))[0];

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(Date.now() + offset) });
    operator = adminApi(gh, await adminKey(gh));
    await gh.addClient({
      client_id: consoleId,
      client_secret: SECRET,
      grant_types: [TOKEN_EXCHANGE_GRANT],
      resources: [API],
      scopes: [],
      token_exchange: { impersonation: true },
    });
    organization = await createOrganization(gh, 'Deadline Support', {
      roles: [{ name: 'agent', permissions: ['claims:read'] }],
    });
    await operator.expect(200, `/organizations/${organization.slug}`, {
      method: 'PATCH',
      json: { security_policies: { impersonation: { allowed: true, approval: 'none', max_duration: '1h' } } },
    });
  });
  afterAll(() => gh?.stop());

  it('ends at its deadline: no token outlives it, and none is issued after it', async () => {
    const { id, handle } = await request('5m');
    const issued = await exchange(handle as string);
    const started = await operator.expect(200, `/organizations/${organization.slug}/impersonations/${id}`);
    const endsAt = Date.parse(started.ends_at as string);
    expect(decodeJwt(issued.access_token as string).exp! * 1000).toBeLessThanOrEqual(endsAt);

    offset = 6 * MINUTE;
    expect(await exchange(handle as string)).toEqual({
      error: 'invalid_grant',
      error_description: 'the impersonation has ended',
    });
    // Still within its signature's exp, but the impersonation behind it is over.
    expect(await post('/token/introspection', { token: issued.access_token as string })).toEqual({
      active: false,
    });
    expect(await audited('impersonation.end', id as string)).toMatchObject({
      actor: { type: 'system', id: 'impersonation' },
      after: { status: 'ended', endedAt: new Date(endsAt).toISOString() },
    });
  });

  it('expires when it is not started within a day', async () => {
    const { id, handle } = await request('10m');
    offset += 25 * 60 * MINUTE;
    expect((await exchange(handle as string)).error_description).toBe('the impersonation has ended');
    expect(await audited('impersonation.expire', id as string)).toMatchObject({
      after: { status: 'expired', startedAt: null },
    });
    const listed = await operator.expect(200, `/organizations/${organization.slug}/impersonations`);
    expect((listed.data as Json[]).find((row) => row.id === id)).toMatchObject({ status: 'expired' });
  });
});
