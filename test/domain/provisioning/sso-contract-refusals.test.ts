import { describe, expect, it } from '@jest/globals';
import { createSsoSignIn } from '../../../src/domain/provisioning/sso-sign-in.js';
import { createTestOrganization, oidcIdentity, useTestDatabase } from './sso-fixtures.js';

/** SSO sign-ins under the contract: the kill switch, the plan's features, its end and its MAU quota. */
describe('SSO sign-in: what the contract turns away', () => {
  const database = useTestDatabase();
  const at = new Date('2026-11-30T12:00:00Z');
  const signIn = () => createSsoSignIn(database(), { now: () => at }).signIn;

  it('refuses a frozen organization, and one under a frozen parent', async () => {
    const db = database();
    const parent = await createTestOrganization(db);
    const child = await createTestOrganization(db, { parentId: parent.organization.id });
    await db.organizations.update(parent.organization.id, { frozenAt: at, frozenReason: 'abuse' });
    for (const { connection, domain } of [parent, child]) {
      expect(await signIn()(oidcIdentity(connection, `ann@${domain}`))).toMatchObject({
        kind: 'refused',
        code: 'organization_frozen',
        reason: expect.stringContaining('temporarily frozen by the operator'),
      });
    }
    await db.organizations.update(parent.organization.id, { frozenAt: null, frozenReason: null });
    expect(await signIn()(oidcIdentity(child.connection, `ann@${child.domain}`))).toMatchObject({
      kind: 'signed_in',
    });
  });

  it('refuses a plan without SSO, and a contract that ended', async () => {
    const db = database();
    const basic = await createTestOrganization(db);
    await db.organizations.update(basic.organization.id, { plan: { tier: 'basic' } });
    expect(await signIn()(oidcIdentity(basic.connection, `bo@${basic.domain}`))).toMatchObject({
      code: 'feature_not_in_plan',
    });
    const ended = await createTestOrganization(db);
    await db.organizations.update(ended.organization.id, {
      plan: { tier: 'enterprise', contract_ends_at: '2026-11-29' },
    });
    expect(await signIn()(oidcIdentity(ended.connection, `cy@${ended.domain}`))).toMatchObject({
      code: 'organization_access_ended',
    });
    expect(await db.users.findByEmail(`cy@${ended.domain}`)).toBeUndefined();
  });

  it('admits the month’s users and refuses a new one over the monthly-active-user quota', async () => {
    const db = database();
    const small = await createTestOrganization(db);
    await db.organizations.update(small.organization.id, { plan: { tier: 'pro', monthly_active_users: 1 } });
    const first = await signIn()(oidcIdentity(small.connection, `dee@${small.domain}`, { subject: 'dee' }));
    expect(first).toMatchObject({ kind: 'signed_in' });
    await db.monthlyActiveUsers.record(
      small.organization.id,
      '2026-11',
      (first as { userId: string }).userId,
    );
    expect(
      await signIn()(oidcIdentity(small.connection, `eli@${small.domain}`, { subject: 'eli' })),
    ).toMatchObject({ code: 'monthly_active_users_exceeded' });
    expect(
      await signIn()(oidcIdentity(small.connection, `dee@${small.domain}`, { subject: 'dee' })),
    ).toMatchObject({
      kind: 'signed_in',
    });
  });
});
