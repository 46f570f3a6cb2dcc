import { describe, expect, it } from '@jest/globals';
import { createMemorySessionRegistry } from '../../../src/data/memory/session-registry.js';
import type { AuditEntry } from '../../../src/domain/ports/tenancy.js';
import { createSessionAdmission, type ProvenSignIn } from '../../../src/domain/sessions/session-admission.js';
import { createSessionActivity } from '../../../src/domain/sessions/session-activity.js';
import type { SessionPolicy } from '../../../src/domain/sessions/session-policy.js';
import { DEFAULT_SESSION_POLICY } from '../../../src/domain/sessions/session-policy.js';
import { createSessions } from '../../../src/domain/sessions/sessions-service.js';
import { manualClock } from '../../support/clock.js';

const silent = { info: () => {}, warn: () => {} };

/** The domain over the in-process registry; protocol state is a set of session ids. */
function setup(policies: Record<string, SessionPolicy> = {}) {
  const clock = manualClock(Date.parse('2026-03-02T09:00:00Z'));
  const now = () => new Date(clock.now());
  const registry = createMemorySessionRegistry(clock.now);
  const audit: AuditEntry[] = [];
  const protocol = new Set<string>();
  const sessions = createSessions({
    registry,
    protocol: { end: async (id) => protocol.delete(id) },
    audit: { append: async (entry) => void audit.push(entry) },
    now,
    log: silent,
  });
  const admission = createSessionAdmission({
    registry,
    sessions,
    policies: async (organizationId) =>
      (organizationId && policies[organizationId]) || DEFAULT_SESSION_POLICY,
    audit: { append: async (entry) => void audit.push(entry) },
    now,
    log: silent,
  });
  const activity = createSessionActivity({ registry, sessions, now });
  let counter = 0;
  /** A sign-in through admission and bind, as the interaction and the resume make it. */
  const signIn = async (
    userId: string,
    organizationId?: string | null,
    browserSessionId?: string,
    impersonation?: ProvenSignIn['impersonation'],
  ) => {
    counter += 1;
    clock.advance(1000);
    const proven: ProvenSignIn = {
      interactionUid: `int-${counter}`,
      userId,
      organizationId,
      connectionId: null,
      amr: ['pwd'],
      browserSessionId: browserSessionId ?? null,
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      impersonation,
    };
    const outcome = await admission.reserve(proven);
    if (!outcome.admitted) return { outcome };
    const id = browserSessionId ?? `ses-${counter}`;
    protocol.add(id);
    return { outcome, id, record: await admission.bind(proven.interactionUid, id, userId) };
  };
  return { clock, registry, audit, protocol, sessions, admission, activity, signIn };
}

const strict = (max: number, action: 'end_oldest' | 'refuse', extra: Partial<SessionPolicy> = {}) => ({
  ...DEFAULT_SESSION_POLICY,
  limit: { max, action },
  ...extra,
});

describe('sessions: limits, binding, ending', () => {
  it('ends the oldest session beyond the limit, its protocol state too, and audits it', async () => {
    const { signIn, protocol, audit, sessions } = setup({ org_a: strict(2, 'end_oldest') });
    const first = await signIn('usr_1', 'org_a');
    await signIn('usr_1', 'org_a');
    const third = await signIn('usr_1', 'org_a');
    expect(third.outcome).toEqual({ admitted: true });
    expect(protocol.has(first.id!)).toBe(false);
    expect((await sessions.listForUser('usr_1')).map((record) => record.id)).toEqual(['ses-2', 'ses-3']);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'session.ended_oldest',
        organizationId: 'org_a',
        targetType: 'session',
        targetId: first.id,
        after: { reason: 'limit' },
      }),
    ]);
  });

  it('refuses beyond the limit with a reason for the application, and records the refusal', async () => {
    const { signIn, audit, sessions } = setup({ org_a: strict(1, 'refuse') });
    await signIn('usr_1', 'org_a');
    const refused = await signIn('usr_1', 'org_a');
    expect(refused.outcome).toEqual({
      admitted: false,
      description: expect.stringContaining('signed in on 1 device'),
    });
    expect(await sessions.listForUser('usr_1')).toHaveLength(1);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'session.limit_exceeded',
        targetId: 'usr_1',
        organizationId: 'org_a',
      }),
    ]);
  });

  it('signing in again within a live session keeps its place, start and end', async () => {
    const { signIn, sessions, clock } = setup({ org_a: strict(1, 'refuse') });
    const first = await signIn('usr_1', 'org_a');
    clock.advance(60_000);
    const again = await signIn('usr_1', 'org_a', first.id);
    expect(again.outcome).toEqual({ admitted: true });
    expect(again.record).toMatchObject({
      id: first.id,
      createdAt: first.record!.createdAt,
      expiresAt: first.record!.expiresAt,
    });
    expect(again.record!.authenticatedAt.getTime()).toBeGreaterThan(first.record!.authenticatedAt.getTime());
    expect(await sessions.listForUser('usr_1')).toHaveLength(1);
  });

  it('lets a support operator act as the user without touching the user’s own sessions', async () => {
    const { signIn, sessions } = setup({ org_a: strict(1, 'refuse') });
    const own = await signIn('usr_1', 'org_a');
    const support = await signIn('usr_1', 'org_a', undefined, {
      impersonationId: 'imp_1',
      actorId: 'key_1',
      permissions: [],
      readOnly: true,
      expiresAt: new Date(Date.parse('2026-03-02T10:00:00Z')),
    });
    expect(support.outcome).toEqual({ admitted: true });
    expect(support.record).toMatchObject({ impersonation: { impersonationId: 'imp_1', readOnly: true } });
    expect((await sessions.listForUser('usr_1')).map((record) => record.id)).toEqual([own.id, support.id]);
  });

  it('ends a login no reservation admitted', async () => {
    const { admission, protocol } = setup();
    protocol.add('ses-rogue');
    expect(await admission.bind('int-unknown', 'ses-rogue', 'usr_1')).toBeUndefined();
    expect(protocol.has('ses-rogue')).toBe(false);
  });

  it('gives an organization picked after the sign-in its policy, never a longer life', async () => {
    const { signIn, admission, sessions } = setup({
      org_a: strict(1, 'refuse', { lifetimeSeconds: 3600 }),
    });
    const first = await signIn('usr_1', undefined);
    expect(first.record).toMatchObject({ organizationId: null });
    expect(await admission.settleOrganization(first.id!, 'org_a')).toEqual({ admitted: true });
    const settled = await sessions.get(first.id!);
    expect(settled).toMatchObject({ organizationId: 'org_a' });
    expect(settled!.expiresAt.getTime() - settled!.createdAt.getTime()).toBe(3_600_000);

    // A second session picking the same strict organization is refused at the pick.
    const second = await signIn('usr_1', undefined);
    expect(await admission.settleOrganization(second.id!, 'org_a')).toMatchObject({ admitted: false });
    expect(await sessions.get(second.id!)).toBeUndefined();
  });

  it('ends sessions past their end, idle too long, or unknown, at their next request', async () => {
    const { signIn, activity, clock, protocol, audit } = setup({
      org_idle: strict(3, 'end_oldest', {
        timeouts: { idleTimeoutSeconds: 600, reauthenticationSeconds: null },
      }),
    });
    const idle = await signIn('usr_1', 'org_idle');
    clock.advance(5 * 60_000);
    expect(await activity.check(idle.id!, 'usr_1')).toMatchObject({ lastSeenAt: new Date(clock.now()) });
    clock.advance(9 * 60_000);
    expect(await activity.check(idle.id!, 'usr_1')).toBeDefined();
    clock.advance(12 * 60_000);
    expect(await activity.check(idle.id!, 'usr_1')).toBeUndefined();
    expect(protocol.has(idle.id!)).toBe(false);

    const old = await signIn('usr_2', null);
    clock.advance(8 * 3_600_000);
    expect(await activity.check(old.id!, 'usr_2')).toBeUndefined();
    protocol.add('ses-unknown');
    expect(await activity.check('ses-unknown', 'usr_2')).toBeUndefined();
    expect(protocol.has('ses-unknown')).toBe(false);
    // Running its course is logged, not audited.
    expect(audit).toEqual([]);
  });

  it('ends a user’s sessions for one organization only, with the actor audited', async () => {
    const { signIn, sessions, audit } = setup();
    const a = await signIn('usr_1', 'org_a');
    const b = await signIn('usr_1', 'org_b');
    expect(
      await sessions.endForUser('usr_1', { organizationId: 'org_a' }, 'revoked', {
        type: 'api_key',
        id: 'key_1',
      }),
    ).toBe(1);
    expect((await sessions.listForUser('usr_1')).map((record) => record.id)).toEqual([b.id]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'session.revoke',
        targetId: a.id,
        actor: { type: 'api_key', id: 'key_1' },
      }),
    ]);
    expect(await sessions.end(a.id!, 'revoked')).toBe(false);
    expect(await sessions.endForOrganization('org_b', 'access_ended')).toBe(1);
  });
});
