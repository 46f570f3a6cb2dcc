import { randomBytes } from 'node:crypto';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import { isPortalIntent, type PortalPrincipal } from './portal-principal.js';

/** A portal sign-in, kept in the shared store under a random id that only the cookie carries. */
export interface PortalSession {
  id: string;
  principal: PortalPrincipal;
  /** The anti-forgery token every portal form carries (http/portal/portal-csrf.ts). */
  csrf: string;
  /** Milliseconds since the epoch: the absolute lifetime counts from here. */
  startedAt: number;
}

export interface PortalSessionOptions {
  /** Idle lifetime: each use extends it by this much. */
  idleSeconds?: number;
  /** Absolute lifetime, however busy the session is. */
  maxSeconds?: number;
}

const key = (id: string) => `portal:session:${id}`;
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function parse(text: string | undefined): PortalSession | undefined {
  if (!text) return undefined;
  const session = JSON.parse(text) as PortalSession;
  return session.principal?.intents?.every(isPortalIntent) ? session : undefined;
}

/**
 * Portal sessions live in the ephemeral store (Redis when shared), never in the cookie: ending one
 * takes effect on every instance at once, and the cookie holds nothing worth reading.
 */
export function createPortalSessions(
  store: EphemeralStore,
  now: () => Date,
  { idleSeconds = 60 * 60, maxSeconds = 12 * 60 * 60 }: PortalSessionOptions = {},
) {
  const remaining = (session: PortalSession) =>
    Math.floor((session.startedAt + maxSeconds * 1000 - now().getTime()) / 1000);

  return {
    idleSeconds,
    async start(principal: PortalPrincipal): Promise<PortalSession> {
      const session: PortalSession = {
        id: randomBytes(32).toString('base64url'),
        principal,
        csrf: randomBytes(32).toString('base64url'),
        startedAt: now().getTime(),
      };
      await store.put(key(session.id), JSON.stringify(session), idleSeconds);
      return session;
    },

    /** The live session of this id, its idle lifetime extended; undefined when gone or expired. */
    async resume(id: string): Promise<PortalSession | undefined> {
      if (!ID_PATTERN.test(id)) return undefined;
      const session = parse(await store.get(key(id)));
      if (!session) return undefined;
      const left = remaining(session);
      if (left <= 0) {
        await store.delete(key(id));
        return undefined;
      }
      await store.put(key(id), JSON.stringify(session), Math.min(idleSeconds, left));
      return session;
    },

    end(id: string): Promise<void> {
      return ID_PATTERN.test(id) ? store.delete(key(id)) : Promise.resolve();
    },
  };
}
export type PortalSessions = ReturnType<typeof createPortalSessions>;
