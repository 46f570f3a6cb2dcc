import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** The admin API over users' second factors: list, remove one, reset all; scoped and audited. */
describe('admin API: users’ second factors', () => {
  let gh: TestGatehouse;
  let env: AdminApi;
  let orgA: Json;
  let orgB: Json;
  let keyA: AdminApi;
  let keyB: AdminApi;
  const unique = () => randomUUID().slice(0, 8);
  const publicKey = `cose-public-key-${unique()}`;

  beforeAll(async () => {
    gh = await startGatehouse();
    env = adminApi(gh, await adminKey(gh));
    const org = (name: string) =>
      env.expect(201, '/organizations', { method: 'POST', json: { slug: `mfa-${unique()}`, name } });
    [orgA, orgB] = [await org('A'), await org('B')];
    [keyA, keyB] = [adminApi(gh, await adminKey(gh, orgA.id)), adminApi(gh, await adminKey(gh, orgB.id))];
  });
  afterAll(() => gh.stop());

  /** A user of `organizations` with a confirmed TOTP factor, a WebAuthn credential and recovery codes. */
  async function enrolledUser(...organizations: Json[]) {
    const email = `mfa-${unique()}@example.com`;
    const [first, ...others] = organizations;
    const user = await env.expect(201, '/users', {
      method: 'POST',
      json: { email, organization: first!.id },
    });
    for (const other of others) {
      await env.expect(201, `/organizations/${other.id}/memberships`, {
        method: 'POST',
        json: { user_id: user.id },
      });
    }
    const { totp, recoveryCodes } = gh.container.mfa;
    const enrolment = await totp.beginEnrolment(user.id, email, 'Phone');
    const code = await generate({
      secret: enrolment.secret,
      epoch: Math.floor(Date.now() / 1000),
      period: 30,
    });
    expect(await totp.confirmEnrolment(user.id, enrolment.factorId, code)).toBe(true);
    const key = await gh.container.db.mfaFactors.create({
      id: `mfa_${randomUUID()}`,
      userId: user.id,
      type: 'webauthn',
      label: 'YubiKey',
      credentialId: `cred-${randomUUID()}`,
      publicKey,
      confirmedAt: new Date(),
    });
    await recoveryCodes.generate(user.id);
    return { user, secret: enrolment.secret, totpId: enrolment.factorId, keyId: key.id };
  }

  const auditOf = (targetType: string, targetId: string, action: string) =>
    gh.container.db.audit.list({ targetType, targetId, action }, { limit: 50 });

  it('lists factors and unused recovery codes, never a secret or public key', async () => {
    const { user, secret, totpId, keyId } = await enrolledUser(orgA);
    for (const api of [env, keyA]) {
      const answer = await api.expect(200, `/users/${user.email}/mfa`);
      expect(answer).toEqual({
        factors: [
          expect.objectContaining({ id: totpId, type: 'totp', label: 'Phone', confirmed: true }),
          expect.objectContaining({ id: keyId, type: 'webauthn', label: 'YubiKey', confirmed: true }),
        ],
        recovery_codes_remaining: 10,
      });
      expect(answer.factors[0]).toEqual({
        id: totpId,
        type: 'totp',
        label: 'Phone',
        confirmed: true,
        created_at: expect.any(String),
        confirmed_at: expect.any(String),
        last_used_at: expect.any(String),
      });
      const text = JSON.stringify(answer);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(publicKey);
    }
  });

  it('records the user’s own enrolment and recovery codes for each of their organizations', async () => {
    const { user, secret, totpId } = await enrolledUser(orgA, orgB);
    const enrolled = await auditOf('mfa_factor', totpId, 'mfa.enrol');
    expect(enrolled.map((record) => record.organizationId).sort()).toEqual([orgA.id, orgB.id].sort());
    expect(enrolled[0]).toMatchObject({
      actor: { type: 'user', id: user.id },
      before: null,
      after: { id: totpId, type: 'totp', label: 'Phone' },
    });
    const codes = await auditOf('user', user.id, 'mfa.recovery_codes');
    expect(codes).toHaveLength(2);
    expect(codes[0]).toMatchObject({ actor: { type: 'user', id: user.id }, after: { unused: 10 } });
    const stored = JSON.stringify([...enrolled, ...codes]);
    expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/ciphertext|hash/i);
  });

  it('removes one factor (204, then 404), recorded in the organization’s audit', async () => {
    const { user, totpId, keyId } = await enrolledUser(orgA);
    await keyA.expect(204, `/users/${user.id}/mfa/factors/${keyId}`, { method: 'DELETE' });
    const again = await keyA.call(`/users/${user.id}/mfa/factors/${keyId}`, { method: 'DELETE' });
    await expectProblem(again, 404, 'not_found');
    const answer = await env.expect(200, `/users/${user.id}/mfa`);
    expect(answer.factors.map((factor: Json) => factor.id)).toEqual([totpId]);

    const [record, ...more] = await auditOf('mfa_factor', keyId, 'mfa.factor_remove');
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({
      organizationId: orgA.id,
      actor: { type: 'api_key' },
      before: { id: keyId, type: 'webauthn', label: 'YubiKey' },
      after: null,
    });
    expect(JSON.stringify(record)).not.toContain(publicKey);
  });

  it('a factor of another user is not found through this user', async () => {
    const { user } = await enrolledUser(orgA);
    const other = await enrolledUser(orgA);
    const cross = await keyA.call(`/users/${user.id}/mfa/factors/${other.totpId}`, { method: 'DELETE' });
    await expectProblem(cross, 404, 'not_found');
    expect((await env.expect(200, `/users/${other.user.id}/mfa`)).factors).toHaveLength(2);
  });

  it('resets every factor and recovery code, with an audit record per organization', async () => {
    const { user } = await enrolledUser(orgA, orgB);
    await env.expect(204, `/users/${user.email}/mfa/reset`, { method: 'POST' });
    expect(await env.expect(200, `/users/${user.id}/mfa`)).toEqual({
      factors: [],
      recovery_codes_remaining: 0,
    });

    const records = await auditOf('user', user.id, 'mfa.reset');
    expect(records.map((record) => record.organizationId).sort()).toEqual([orgA.id, orgB.id].sort());
    expect(records[0]).toMatchObject({
      actor: { type: 'api_key' },
      before: { recoveryCodesRemaining: 10, factors: [{ type: 'totp' }, { type: 'webauthn' }] },
      after: { factors: [], recoveryCodesRemaining: 0 },
    });
    expect(JSON.stringify(records)).not.toContain(publicKey);
  });

  it('a delegated key of another organization sees no such user (404)', async () => {
    const { user, keyId } = await enrolledUser(orgA);
    await expectProblem(await keyB.call(`/users/${user.id}/mfa`), 404, 'not_found');
    const remove = await keyB.call(`/users/${user.id}/mfa/factors/${keyId}`, { method: 'DELETE' });
    await expectProblem(remove, 404, 'not_found');
    await expectProblem(await keyB.call(`/users/${user.id}/mfa/reset`, { method: 'POST' }), 404, 'not_found');
    expect((await env.expect(200, `/users/${user.id}/mfa`)).factors).toHaveLength(2);
  });

  it('a delegated key of one of the user’s two organizations may look but not change (403)', async () => {
    const { user, keyId } = await enrolledUser(orgA, orgB);
    expect((await keyA.expect(200, `/users/${user.id}/mfa`)).factors).toHaveLength(2);
    const reset = await keyA.call(`/users/${user.id}/mfa/reset`, { method: 'POST' });
    expect((await expectProblem(reset, 403, 'forbidden')).detail).toMatch(/environment admin/);
    const remove = await keyA.call(`/users/${user.id}/mfa/factors/${keyId}`, { method: 'DELETE' });
    await expectProblem(remove, 403, 'forbidden');
    expect(await env.expect(200, `/users/${user.id}/mfa`)).toMatchObject({ recovery_codes_remaining: 10 });
    expect((await env.expect(200, `/users/${user.id}/mfa`)).factors).toHaveLength(2);
    expect(await auditOf('user', user.id, 'mfa.reset')).toHaveLength(0);
  });
});
