import type { GeoLocation, RiskAssessmentRecord, RiskSignal } from '../ports/risk.js';
import type { RiskInputs } from './risk-inputs.js';

export const IMPOSSIBLE_TRAVEL_POINTS = 60;
/** Faster than an airliner (~900 km/h) with margin: a trip no person makes. */
export const MAX_SPEED_KMH = 1000;
/** Nearby places are within the databases' own error (city centroids, country defaults). */
const MIN_DISTANCE_KM = 500;
const EARTH_RADIUS_KM = 6371;

type Point = { latitude: number; longitude: number };
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine formula) in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const pointOf = (place: {
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
}): Point | undefined =>
  typeof place.latitude === 'number' && typeof place.longitude === 'number'
    ? { latitude: place.latitude, longitude: place.longitude }
    : undefined;

/**
 * The user's last successful sign-in with a known place is farther away than anyone could have
 * travelled since (more than MAX_SPEED_KMH).
 */
export function impossibleTravel(
  inputs: Pick<RiskInputs, 'now' | 'history'> & { location: GeoLocation | undefined },
): RiskSignal | undefined {
  const here = inputs.location && pointOf(inputs.location);
  if (!here) return undefined;
  const last = inputs.history.find(
    (record: RiskAssessmentRecord) => record.outcome === 'succeeded' && pointOf(record) !== undefined,
  );
  if (!last) return undefined;
  const km = distanceKm(pointOf(last)!, here);
  const hours = Math.max(inputs.now.getTime() - last.createdAt.getTime(), 60_000) / 3_600_000;
  const speed = km / hours;
  if (km < MIN_DISTANCE_KM || speed <= MAX_SPEED_KMH) return undefined;
  return {
    name: 'impossible_travel',
    points: IMPOSSIBLE_TRAVEL_POINTS,
    detail:
      `${Math.round(km)} km from the sign-in in ${last.country ?? 'an unknown country'} ` +
      `${Math.round(hours * 60)} minutes earlier (${Math.round(speed)} km/h)`,
  };
}
