import { describe, expect, it } from '@jest/globals';
import {
  TOUCH_INTERVAL_MS,
  reauthenticationDue,
  remainingMs,
  sessionState,
  touchDue,
  type SessionTerms,
} from '../../../src/domain/sessions/session-liveness.js';

const START = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(START + minutes * 60_000);
const terms = (timeouts: Partial<SessionTerms['timeouts']> = {}, lastSeen = 0): SessionTerms => ({
  expiresAt: at(8 * 60),
  lastSeenAt: at(lastSeen),
  authenticatedAt: at(0),
  timeouts: { idleTimeoutSeconds: null, reauthenticationSeconds: null, ...timeouts },
});

describe('session liveness', () => {
  it('ends at the absolute lifetime whatever the activity', () => {
    expect(sessionState(terms({}, 470), at(479))).toBe('live');
    expect(sessionState(terms({}, 479), at(480))).toBe('expired');
  });

  it('idles out after the timeout, allowing for the activity written a minute late', () => {
    const idle = terms({ idleTimeoutSeconds: 15 * 60 }, 60);
    expect(sessionState(idle, at(60 + 15))).toBe('live');
    expect(sessionState(idle, new Date(at(75).getTime() + TOUCH_INTERVAL_MS))).toBe('live');
    expect(sessionState(idle, at(60 + 17))).toBe('idle');
  });

  it('gives stored state the time to the end, or one idle timeout when shorter', () => {
    expect(remainingMs(terms(), at(60))).toBe(7 * 3_600_000);
    expect(remainingMs(terms({ idleTimeoutSeconds: 600 }), at(60))).toBe(600_000 + TOUCH_INTERVAL_MS);
    expect(remainingMs(terms({ idleTimeoutSeconds: 600 }), at(475))).toBe(5 * 60_000);
    expect(remainingMs(terms(), at(500))).toBe(1000);
  });

  it('asks for a new sign-in after the re-authentication interval', () => {
    expect(reauthenticationDue(terms(), at(400))).toBe(false);
    expect(reauthenticationDue(terms({ reauthenticationSeconds: 3600 }), at(59))).toBe(false);
    expect(reauthenticationDue(terms({ reauthenticationSeconds: 3600 }), at(60))).toBe(true);
  });

  it('writes activity at most once a minute', () => {
    expect(touchDue(terms({}, 10), new Date(at(10).getTime() + 59_000))).toBe(false);
    expect(touchDue(terms({}, 10), at(11))).toBe(true);
  });
});
