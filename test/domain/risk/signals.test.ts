import { describe, expect, it } from '@jest/globals';
import { failedVelocity, MAX_VELOCITY_POINTS } from '../../../src/domain/risk/failed-velocity.js';
import { outsideAllowedCountries } from '../../../src/domain/risk/geo-fence.js';
import { distanceKm, impossibleTravel } from '../../../src/domain/risk/impossible-travel.js';
import { knownBadIp } from '../../../src/domain/risk/known-bad-ip.js';
import { newDevice } from '../../../src/domain/risk/new-device.js';
import { networkOf, newNetwork } from '../../../src/domain/risk/new-network.js';
import { outsideAllowlist } from '../../../src/domain/risk/outside-allowlist.js';
import { hours, inputs, LONDON, PARIS, past, SYDNEY } from './risk-fixtures.js';

describe('new_device', () => {
  it('says nothing on the first sign-in a user ever makes (the baseline)', () => {
    expect(newDevice(inputs({ deviceHash: 'device-b', history: [] }))).toBeUndefined();
  });
  it('fires for a device cookie no successful sign-in of the user had', () => {
    const signal = newDevice(inputs({ deviceHash: 'device-b', history: [past()] }));
    expect(signal).toMatchObject({ name: 'new_device', points: 25 });
  });
  it('fires for a browser without a cookie', () => {
    expect(newDevice(inputs({ deviceHash: undefined, history: [past()] }))?.detail).toContain(
      'no device cookie',
    );
    const issued = inputs({ deviceHash: 'device-new', deviceCookieIssued: true, history: [past()] });
    expect(newDevice(issued)?.detail).toContain('no device cookie');
  });
  it('is quiet for a device that succeeded before, but not for one that only failed', () => {
    expect(newDevice(inputs({ history: [past()] }))).toBeUndefined();
    const failedOnly = [past(), past({ deviceHash: 'device-b', outcome: 'failed' })];
    expect(newDevice(inputs({ deviceHash: 'device-b', history: failedOnly }))).toBeDefined();
  });
});

describe('new_network', () => {
  it('groups IPv4 by /24 and IPv6 by /48', () => {
    expect(networkOf('198.51.100.7')).toBe('198.51.100.0/24');
    expect(networkOf('2001:db8:1:2::9')).toBe('2001:db8:1:2::9/48');
    expect(networkOf('not an address')).toBeUndefined();
  });
  it('is quiet within the same /24 and the same /48', () => {
    expect(newNetwork(inputs({ ip: '198.51.100.200', history: [past()] }))).toBeUndefined();
    const v6 = [past({ ip: '2001:db8:1:2::9' })];
    expect(newNetwork(inputs({ ip: '2001:db8:1:ffff::1', history: v6 }))).toBeUndefined();
  });
  it('fires for another /24 or /48, and names the network', () => {
    expect(newNetwork(inputs({ ip: '198.51.101.7', history: [past()] }))).toMatchObject({
      name: 'new_network',
      points: 25,
      detail: expect.stringContaining('198.51.101.0/24'),
    });
    expect(
      newNetwork(inputs({ ip: '2001:db8:2::1', history: [past({ ip: '2001:db8:1::1' })] })),
    ).toBeDefined();
  });
  it('says nothing without earlier successes', () => {
    expect(newNetwork(inputs({ ip: '203.0.113.9', history: [past({ outcome: 'failed' })] }))).toBeUndefined();
  });
});

describe('impossible_travel', () => {
  it('measures great-circle distances (London to Sydney is about 17,000 km)', () => {
    expect(distanceKm(LONDON, SYDNEY)).toBeGreaterThan(16_900);
    expect(distanceKm(LONDON, SYDNEY)).toBeLessThan(17_100);
    expect(distanceKm(LONDON, LONDON)).toBe(0);
  });
  it('fires for London then Sydney one hour later', () => {
    const signal = impossibleTravel({ now: hours(1), history: [past()], location: SYDNEY });
    expect(signal).toMatchObject({ name: 'impossible_travel', points: 60 });
    expect(signal?.detail).toMatch(/km\/h/);
  });
  it('is quiet for London then Sydney a day later (a flight)', () => {
    expect(impossibleTravel({ now: hours(24), history: [past()], location: SYDNEY })).toBeUndefined();
  });
  it('is quiet for nearby places even minutes apart (database error margin)', () => {
    expect(impossibleTravel({ now: hours(0.1), history: [past()], location: PARIS })).toBeUndefined();
  });
  it('is quiet when either place is unknown', () => {
    expect(impossibleTravel({ now: hours(1), history: [past()], location: undefined })).toBeUndefined();
    const unplaced = past({ ip: '10.0.0.1' });
    expect(impossibleTravel({ now: hours(1), history: [unplaced], location: SYDNEY })).toBeUndefined();
  });
  it('compares with the last successful sign-in, not a failed one', () => {
    const history = [past({ ip: '203.0.113.9', outcome: 'failed', createdAt: hours(0.5) }), past()];
    expect(impossibleTravel({ now: hours(1), history, location: SYDNEY })).toBeDefined();
  });
});

describe('failed_velocity', () => {
  it('forgives the first two failures on an account and ten from an address', () => {
    expect(failedVelocity({ account: 2, address: 10 })).toBeUndefined();
  });
  it('adds five points per account failure beyond those, up to a ceiling', () => {
    expect(failedVelocity({ account: 4, address: 0 })?.points).toBe(10);
    expect(failedVelocity({ account: 50, address: 500 })?.points).toBe(MAX_VELOCITY_POINTS);
  });
  it('counts an address spraying many accounts', () => {
    expect(failedVelocity({ account: 0, address: 25 })?.points).toBe(15);
  });
});

describe('known_bad_ip, outside_allowlist, outside_allowed_countries', () => {
  it('known_bad_ip fires inside a listed network only', () => {
    expect(knownBadIp('203.0.113.9', ['203.0.113.0/24'])?.points).toBe(100);
    expect(knownBadIp('198.51.100.7', ['203.0.113.0/24'])).toBeUndefined();
    expect(knownBadIp('198.51.100.7', [])).toBeUndefined();
  });
  it('outside_allowlist fires only when a list is set and the address is in none of it', () => {
    expect(outsideAllowlist('198.51.100.7', {})).toBeUndefined();
    expect(outsideAllowlist('198.51.100.7', { ipAllowlist: ['198.51.100.0/24'] })).toBeUndefined();
    expect(outsideAllowlist('::ffff:198.51.100.7', { ipAllowlist: ['198.51.100.0/24'] })).toBeUndefined();
    expect(outsideAllowlist('203.0.113.9', { ipAllowlist: ['198.51.100.0/24'] })?.name).toBe(
      'outside_allowlist',
    );
  });
  it('outside_allowed_countries fires for another country and for an unknown place', () => {
    expect(outsideAllowedCountries(LONDON, {})).toBeUndefined();
    expect(outsideAllowedCountries(LONDON, { allowedCountries: ['GB', 'FR'] })).toBeUndefined();
    expect(outsideAllowedCountries(SYDNEY, { allowedCountries: ['GB'] })?.detail).toContain('AU');
    expect(outsideAllowedCountries(undefined, { allowedCountries: ['GB'] })?.detail).toContain('no country');
  });
});
