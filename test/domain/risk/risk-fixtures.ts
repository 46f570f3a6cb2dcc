import type { GeoLocation, RiskAssessmentRecord } from '../../../src/domain/ports/risk.js';
import type { RiskInputs } from '../../../src/domain/risk/risk-inputs.js';

export const T0 = new Date('2026-11-30T08:00:00Z');
export const hours = (n: number) => new Date(T0.getTime() + n * 3_600_000);

type Place = GeoLocation & { latitude: number; longitude: number };
export const LONDON: Place = { country: 'GB', latitude: 51.5072, longitude: -0.1276 };
export const PARIS: Place = { country: 'FR', latitude: 48.8566, longitude: 2.3522 };
export const SYDNEY: Place = { country: 'AU', latitude: -33.8688, longitude: 151.2093 };

/** A fake geo table: the matrix places documentation addresses where it needs them. */
export const GEO_TABLE: Record<string, GeoLocation> = {
  '198.51.100.7': LONDON,
  '198.51.100.8': LONDON,
  '203.0.113.9': SYDNEY,
  '192.0.2.44': PARIS,
};
export const fakeGeo = (ip: string) => GEO_TABLE[ip];

let sequence = 0;
/** An earlier assessment of the user, succeeded unless said otherwise. */
export function past(overrides: Partial<RiskAssessmentRecord> = {}): RiskAssessmentRecord {
  const ip = overrides.ip ?? '198.51.100.7';
  const place = GEO_TABLE[ip];
  sequence += 1;
  return {
    id: `rsk_${sequence}`,
    organizationId: 'org_1',
    userId: 'usr_1',
    ip,
    country: place?.country ?? null,
    latitude: place?.latitude ?? null,
    longitude: place?.longitude ?? null,
    deviceHash: 'device-a',
    score: 0,
    decision: 'allow',
    signals: [],
    outcome: 'succeeded',
    createdAt: T0,
    ...overrides,
  };
}

/** Inputs of a sign-in at `now` from `ip` with device `deviceHash`, nothing else unusual. */
export function inputs(overrides: Partial<RiskInputs> = {}): RiskInputs {
  const ip = overrides.ip ?? '198.51.100.7';
  return {
    now: T0,
    ip,
    deviceHash: 'device-a',
    location: fakeGeo(ip),
    history: [],
    failures: { account: 0, address: 0 },
    knownBadNetworks: [],
    network: {},
    ...overrides,
  };
}
