import { describe, expect, it } from '@jest/globals';
import { riskDecision, riskScore, DEFAULT_RISK_THRESHOLDS } from '../../../src/domain/risk/risk-score.js';
import { riskSignals } from '../../../src/domain/risk/risk-signals.js';
import { riskThresholdsSchema, riskThresholdsOf } from '../../../src/domain/risk/risk-policy.js';
import type { RiskInputs } from '../../../src/domain/risk/risk-inputs.js';
import { fakeGeo, hours, inputs, past } from './risk-fixtures.js';

/** One sign-in through every signal, the scorer and the thresholds. */
const decide = (overrides: Partial<RiskInputs>, thresholds = DEFAULT_RISK_THRESHOLDS) => {
  const ip = overrides.ip ?? '198.51.100.7';
  const signals = riskSignals(inputs({ location: fakeGeo(ip), ...overrides }));
  return { ...riskDecision(signals, thresholds), names: signals.map((signal) => signal.name) };
};
const knownUser = [past({ createdAt: hours(-48) })];

describe('risk matrix (injected clock, address and fake geo table)', () => {
  it.each([
    ['known device, known network', { history: knownUser }, 'allow', []],
    ['first sign-in ever (baseline)', { deviceHash: 'device-z', ip: '203.0.113.9' }, 'allow', []],
    ['new device, known network', { history: knownUser, deviceHash: 'device-b' }, 'allow', ['new_device']],
    [
      'new device, new network',
      { history: knownUser, deviceHash: 'device-b', ip: '192.0.2.44' },
      'mfa',
      ['new_device', 'new_network'],
    ],
    [
      'London then Sydney an hour later, same device',
      { history: [past()], now: hours(1), ip: '203.0.113.9' },
      'mfa',
      ['impossible_travel', 'new_network'],
    ],
    [
      'London then Sydney an hour later, new device',
      { history: [past()], now: hours(1), ip: '203.0.113.9', deviceHash: 'device-b' },
      'deny',
      ['impossible_travel', 'new_device', 'new_network'],
    ],
    [
      'known-bad address, otherwise familiar',
      { history: knownUser, knownBadNetworks: ['198.51.100.0/24'] },
      'deny',
      ['known_bad_ip'],
    ],
    [
      'outside the allowlist, otherwise familiar',
      { history: knownUser, network: { ipAllowlist: ['192.0.2.0/24'] } },
      'deny',
      ['outside_allowlist'],
    ],
    [
      'outside the allowed countries',
      { history: knownUser, network: { allowedCountries: ['FR'] } },
      'deny',
      ['outside_allowed_countries'],
    ],
    [
      'a burst of failures on a new device',
      { history: knownUser, deviceHash: 'device-b', failures: { account: 8, address: 8 } },
      'mfa',
      ['new_device', 'failed_velocity'],
    ],
  ] as const)('%s: %s', (_case, overrides, decision, names) => {
    const result = decide(overrides as Partial<RiskInputs>);
    expect(result.decision).toBe(decision);
    expect(result.names).toEqual(names);
  });

  it('follows the organization thresholds: low mfa_at steps up a new device, high deny_at only asks', () => {
    const newDevice = { history: knownUser, deviceHash: 'device-b' };
    expect(decide(newDevice, { mfa_at: 20, deny_at: 90 }).decision).toBe('mfa');
    const travel = { history: [past()], now: hours(1), ip: '203.0.113.9', deviceHash: 'device-b' };
    expect(decide(travel, { mfa_at: 50, deny_at: 200 }).decision).toBe('mfa');
    expect(decide(travel, { mfa_at: 150, deny_at: 200 }).decision).toBe('allow');
  });

  it('denies on a blocking signal whatever deny_at says', () => {
    const bad = { history: knownUser, knownBadNetworks: ['198.51.100.0/24'] };
    expect(decide(bad, { mfa_at: 500, deny_at: 1000 }).decision).toBe('deny');
  });

  it('scores the sum of the points', () => {
    expect(riskScore([])).toBe(0);
    expect(
      riskScore([
        { name: 'a', points: 25, detail: '' },
        { name: 'b', points: 30, detail: '' },
      ]),
    ).toBe(55);
  });
});

describe('security policy `risk`', () => {
  it('defaults to mfa_at 50 and deny_at 90, and takes either from the policy', () => {
    expect(riskThresholdsOf({})).toEqual({ mfa_at: 50, deny_at: 90 });
    expect(riskThresholdsOf({ risk: { mfa_at: 20 } })).toEqual({ mfa_at: 20, deny_at: 90 });
  });
  it('refuses mfa_at at or above deny_at, and unknown keys', () => {
    expect(riskThresholdsSchema.safeParse({ mfa_at: 90, deny_at: 90 }).success).toBe(false);
    expect(riskThresholdsSchema.safeParse({ mfa_at: 95 }).success).toBe(false);
    expect(riskThresholdsSchema.safeParse({ mfa_at: 10, block_at: 5 }).success).toBe(false);
    expect(riskThresholdsSchema.safeParse({ mfa_at: 10, deny_at: 40 }).success).toBe(true);
  });
});
