import { describe, expect, it } from '@jest/globals';
import { createMmdbGeoLookup } from '../../../src/data/geo/mmdb-geo-lookup.js';

/**
 * The real offline database. Documentation ranges (RFC 5737, RFC 3849) have no data, so public
 * addresses MaxMind itself uses in its reader test suites stand in: 81.2.69.142 (GB) and
 * 89.160.20.112 (SE).
 */
describe('offline GeoIP lookup (GeoLite2 City via ip-location-db)', () => {
  const geo = createMmdbGeoLookup();

  it('places public IPv4 and IPv6 addresses with a country and coordinates', () => {
    expect(geo('81.2.69.142')).toEqual({
      country: 'GB',
      latitude: expect.any(Number),
      longitude: expect.any(Number),
    });
    expect(geo('89.160.20.112')?.country).toBe('SE');
    expect(geo('::ffff:81.2.69.142')?.country).toBe('GB');
    expect(geo('2001:4860:4860::8888')?.country).toBe('US');
  });

  it('knows nothing of documentation, private, loopback or malformed addresses', () => {
    for (const ip of [
      '192.0.2.1',
      '198.51.100.7',
      '203.0.113.9',
      '2001:db8::1',
      '10.1.2.3',
      '127.0.0.1',
      '::1',
      'nope',
    ]) {
      expect(geo(ip)).toBeUndefined();
    }
  });
});
