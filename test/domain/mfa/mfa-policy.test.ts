import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { NotFoundError } from '../../../src/domain/errors.js';
import { allowedFactors, createMfaPolicy, mfaRequirement } from '../../../src/domain/mfa/mfa-policy.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../../src/domain/organizations/admin-principal.js';
import { createOrganizationsAdmin } from '../../../src/domain/organizations/organizations-admin.js';
import type { SecurityPolicies } from '../../../src/domain/organizations/security-policies.js';
import { useTestDatabase } from './mfa-fixtures.js';

const operator: AdminPrincipal = { actor: { type: 'system', id: 'test' }, scope: ENVIRONMENT_SCOPE };

describe('MFA requirement', () => {
  const matrix = [
    [undefined, 'optional', 'optional'],
    ['off', 'off', 'off'],
    ['optional', 'optional', 'optional'],
    ['required', 'required', 'required'],
    ['required_for_admins', 'optional', 'required'],
  ] as const;

  it.each(matrix)('mfa %s asks a member for %s and an admin for %s', (mfa, member, admin) => {
    const policy = mfa === undefined ? {} : { mfa };
    expect(mfaRequirement(policy, { admin: false })).toBe(member);
    expect(mfaRequirement(policy, { admin: true })).toBe(admin);
  });
});

describe('allowed factors', () => {
  it('allows every factor when the policy names none', () => {
    expect(allowedFactors({})).toEqual(['totp', 'webauthn', 'email']);
  });

  it('allows exactly the listed factors, ignoring unknown names', () => {
    expect(allowedFactors({ mfa_factors: ['webauthn', 'totp'] })).toEqual(['totp', 'webauthn']);
    expect(allowedFactors({ mfa_factors: ['sms', 'email'] })).toEqual(['email']);
    expect(allowedFactors({ mfa_factors: [] })).toEqual([]);
  });
});

describe('effective MFA policy of an organization (PostgreSQL)', () => {
  const database = useTestDatabase();
  const organizations = () => createOrganizationsAdmin(database());
  const policyOf = (id: string) => createMfaPolicy(database()).forOrganization(id);

  const create = (securityPolicies: SecurityPolicies, parent?: string) =>
    organizations().create(operator, {
      slug: `mfa-${randomUUID().slice(0, 8)}`,
      name: 'Maritime Underwriters',
      security_policies: securityPolicies,
      ...(parent ? { parent } : {}),
    });

  it('reads only the MFA keys of the organization’s own policy', async () => {
    const organization = await create({
      mfa: 'required_for_admins',
      mfa_factors: ['totp', 'webauthn'],
      trust_upstream_mfa: true,
      session_timeout: '8h',
    });
    expect(await policyOf(organization.id)).toEqual({
      mfa: 'required_for_admins',
      mfa_factors: ['totp', 'webauthn'],
      trust_upstream_mfa: true,
    });
  });

  it('inherits from the parent what the sub-organization leaves unset, and overrides the rest', async () => {
    const parent = await create({ mfa: 'required', mfa_factors: ['webauthn'] });
    const child = await create({ mfa_factors: ['totp', 'webauthn'] }, parent.id);
    const policy = await policyOf(child.id);
    expect(policy).toEqual({ mfa: 'required', mfa_factors: ['totp', 'webauthn'] });
    expect(mfaRequirement(policy, { admin: false })).toBe('required');
  });

  it('keeps a key the parent locked, even where a sub-organization set it before the lock', async () => {
    const parent = await create({ mfa: 'optional' });
    const child = await create({ mfa: 'off' }, parent.id);
    expect((await policyOf(child.id)).mfa).toBe('off');
    await organizations().update(operator, parent.id, {
      security_policies: { mfa: 'required', locked: ['mfa'] },
    });
    expect((await policyOf(child.id)).mfa).toBe('required');
  });

  it('is empty when no organization on the chain sets MFA', async () => {
    const organization = await create({ session_timeout: '1h' });
    expect(await policyOf(organization.id)).toEqual({});
  });

  it('reports an unknown organization', async () => {
    await expect(policyOf('org_missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});
