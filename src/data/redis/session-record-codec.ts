import type { SessionImpersonation, SessionRecord, SessionReservation } from '../../domain/ports/sessions.js';

/**
 * Session records and reservations as JSON. `userId` and `organizationId` keep their names: the
 * registry's scripts read them to find the index keys. `lastSeenAt` is kept apart (the `seen`
 * field), so recording activity never rewrites the record.
 */
type Stored<T> = Omit<T, 'createdAt' | 'lastSeenAt' | 'expiresAt' | 'authenticatedAt' | 'at'>;
type Dates = Record<string, string>;

const impersonationFrom = (value: SessionImpersonation | null) =>
  value && { ...value, expiresAt: new Date(value.expiresAt) };

export function encodeRecord(record: SessionRecord): string {
  const { lastSeenAt: _seen, ...rest } = record;
  return JSON.stringify(rest);
}

export function decodeRecord(json: string, seenMs: string | null): SessionRecord {
  const stored = JSON.parse(json) as Stored<SessionRecord> & Dates;
  const createdAt = new Date(stored.createdAt!);
  return {
    ...stored,
    impersonation: impersonationFrom(stored.impersonation),
    createdAt,
    expiresAt: new Date(stored.expiresAt!),
    authenticatedAt: new Date(stored.authenticatedAt!),
    lastSeenAt: seenMs ? new Date(Number(seenMs)) : createdAt,
  };
}

export const encodeReservation = (reservation: SessionReservation): string => JSON.stringify(reservation);

export function decodeReservation(json: string): SessionReservation {
  const stored = JSON.parse(json) as Stored<SessionReservation> & Dates;
  return { ...stored, impersonation: impersonationFrom(stored.impersonation), at: new Date(stored.at!) };
}
