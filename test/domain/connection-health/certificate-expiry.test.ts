import { describe, expect, it } from '@jest/globals';
import {
  daysLeft,
  dueWarning,
  WARNING_DAYS,
} from '../../../src/domain/connection-health/certificate-expiry.js';

describe('certificate expiry warnings', () => {
  it('warns at 30, 14 and 7 days, each once', () => {
    expect(WARNING_DAYS).toEqual([30, 14, 7]);
    expect(dueWarning(31, [])).toBeUndefined();
    expect(dueWarning(30, [])).toEqual({ threshold: 30, sent: [30] });
    expect(dueWarning(29, [30])).toBeUndefined();
    expect(dueWarning(14, [30])).toEqual({ threshold: 14, sent: [30, 14] });
    expect(dueWarning(13, [30, 14])).toBeUndefined();
    expect(dueWarning(7, [30, 14])).toEqual({ threshold: 7, sent: [30, 14, 7] });
    expect(dueWarning(0, [30, 14, 7])).toBeUndefined();
    expect(dueWarning(-5, [30, 14, 7])).toBeUndefined();
  });

  it('sends one warning, the most urgent, for a certificate first seen late, and marks the earlier ones sent', () => {
    expect(dueWarning(10, [])).toEqual({ threshold: 14, sent: [30, 14] });
    expect(dueWarning(3, [])).toEqual({ threshold: 7, sent: [30, 14, 7] });
    // An already expired certificate still gets its one (last) warning.
    expect(dueWarning(-1, [])).toEqual({ threshold: 7, sent: [30, 14, 7] });
  });

  it('counts whole days left, negative once expired', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(daysLeft(new Date('2026-12-30T12:00:00Z'), now)).toBe(30);
    expect(daysLeft(new Date('2026-12-30T11:59:59Z'), now)).toBe(29);
    expect(daysLeft(new Date('2026-11-29T12:00:00Z'), now)).toBe(-1);
  });
});
