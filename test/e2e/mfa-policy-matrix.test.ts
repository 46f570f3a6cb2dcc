import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { signInApp } from '../support/mfa-fixture.js';
import { atRelyingParty, passwordFirstFactor } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';

/**
 * The MFA policy matrix over HTTP: each `mfa` value set on a parent organization, read by a
 * sub-organization that leaves it unset, for a member and for an admin, with the factors
 * `mfa_factors` offers at enrolment.
 */
describe('MFA policy matrix, inherited by a sub-organization', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;

  beforeAll(async () => {
    gh = await startGatehouse({ RATE_LIMIT_LOGIN_PER_MINUTE: '1000' });
    config = await signInApp(gh, 'policy-matrix');
  });
  afterAll(() => gh?.stop());

  /** A parent with `policy`, a child without any, and a member (or admin) of the child. */
  const childUser = async (policy: Record<string, unknown>, admin: boolean) => {
    const parent = await createOrganization(gh, 'Parent', {
      roles: [{ name: 'owner', permissions: ['*'], admin: true }],
    });
    await gh.container.admin.organizations.update(OPERATOR, parent.id, { security_policies: policy });
    const child = await createOrganization(gh, 'Child', { parent: parent.id });
    const email = `matrix.${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, child.id, id, admin ? ['owner'] : []);
    return { email, child: child.id };
  };
  /** What the sign-in shows after the password: straight back to the app, or a second step. */
  const afterPassword = async (email: string, organization: string) => {
    const { page } = await passwordFirstFactor(config, new FormBrowser(), email, PASSWORD, {
      scope: 'openid email organization',
      extra: { organization },
    });
    if (atRelyingParty(page.url)) return { asked: false, page };
    expect(page.body).toContain('Set up two-step verification');
    return { asked: true, page };
  };

  const matrix = [
    [undefined, false, false],
    ['off', false, false],
    ['optional', false, false],
    ['required', true, true],
    ['required_for_admins', false, true],
  ] as const;

  it.each(matrix)('mfa %s: a member is asked: %s, an admin is asked: %s', async (mfa, member, admin) => {
    const policy = mfa === undefined ? {} : { mfa };
    for (const [isAdmin, expected] of [
      [false, member],
      [true, admin],
    ] as const) {
      const user = await childUser(policy, isAdmin);
      expect((await afterPassword(user.email, user.child)).asked).toBe(expected);
    }
  });

  it.each([
    [['totp'], true, false],
    [['webauthn'], false, true],
    [['totp', 'webauthn'], true, true],
  ] as const)('mfa_factors %j offers an app: %s, a passkey: %s', async (factors, app, passkey) => {
    const user = await childUser({ mfa: 'required', mfa_factors: factors }, false);
    const { page } = await afterPassword(user.email, user.child);
    expect(page.body.includes('<code>')).toBe(app);
    expect(page.body.includes('Set up a passkey or security key')).toBe(passkey);
  });

  it('lets a sub-organization tighten what the parent left optional, not loosen what it locked', async () => {
    const parent = await createOrganization(gh, 'Locked parent');
    await gh.container.admin.organizations.update(OPERATOR, parent.id, {
      security_policies: { mfa: 'required', locked: ['mfa'] },
    });
    const child = await createOrganization(gh, 'Loose child', { parent: parent.id });
    await expect(
      gh.container.admin.organizations.update(OPERATOR, child.id, { security_policies: { mfa: 'off' } }),
    ).rejects.toThrow();
    const optionalParent = await createOrganization(gh, 'Optional parent');
    const strictChild = await createOrganization(gh, 'Strict child', { parent: optionalParent.id });
    await gh.container.admin.organizations.update(OPERATOR, strictChild.id, {
      security_policies: { mfa: 'required' },
    });
    const email = `tight.${randomUUID().slice(0, 8)}@example.test`;
    await addMember(gh, strictChild.id, await gh.addUser(email, PASSWORD), []);
    expect((await afterPassword(email, strictChild.id)).asked).toBe(true);
  });
});
