import { describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import type { PortalPrincipal } from '../../../src/domain/portal/portal-principal.js';
import { createPortalSessions } from '../../../src/domain/portal/portal-sessions.js';

const principal: PortalPrincipal = {
  organizationId: 'org_a',
  organizationSlug: 'acme',
  organizationName: 'Acme',
  intents: ['domains'],
  actor: { type: 'setup_link', id: 'psl_a' },
};

function setUp(options = { idleSeconds: 60, maxSeconds: 300 }) {
  let at = Date.parse('2026-11-30T08:00:00Z');
  const now = () => at;
  const sessions = createPortalSessions(createMemoryEphemeralStore({ now }), () => new Date(at), options);
  return { sessions, advance: (seconds: number) => (at += seconds * 1000) };
}

describe('portal sessions', () => {
  it('keep the principal and a CSRF token server-side, under an unguessable id', async () => {
    const { sessions } = setUp();
    const session = await sessions.start(principal);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrf).not.toBe(session.id);
    expect(await sessions.resume(session.id)).toEqual(session);
    expect(await sessions.resume('forged')).toBeUndefined();
  });

  it('end after the idle time, and each use extends it', async () => {
    const { sessions, advance } = setUp();
    const session = await sessions.start(principal);
    advance(50);
    expect(await sessions.resume(session.id)).toBeDefined();
    advance(50);
    expect(await sessions.resume(session.id)).toBeDefined();
    advance(61);
    expect(await sessions.resume(session.id)).toBeUndefined();
  });

  it('end at the absolute lifetime however busy', async () => {
    const { sessions, advance } = setUp();
    const session = await sessions.start(principal);
    for (let i = 0; i < 5; i += 1) {
      advance(55);
      expect(await sessions.resume(session.id)).toBeDefined();
    }
    advance(30);
    expect(await sessions.resume(session.id)).toBeUndefined();
  });

  it('end at once when signed out', async () => {
    const { sessions } = setUp();
    const session = await sessions.start(principal);
    await sessions.end(session.id);
    expect(await sessions.resume(session.id)).toBeUndefined();
  });
});
