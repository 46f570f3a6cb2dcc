import type {
  Admission,
  SessionLimit,
  SessionRecord,
  SessionRegistry,
  SessionReservation,
} from '../../domain/ports/sessions.js';
import { ExpiringMap, type Clock } from './expiring-map.js';

const PENDING = '~';

/**
 * Session records in one process (the embedded default), with the Redis registry's semantics:
 * places under the limit are the user's sessions and reservations by start time. No method
 * awaits between its reads and writes, so each is atomic on Node's single thread.
 */
export function createMemorySessionRegistry(now: Clock = Date.now): SessionRegistry {
  const records = new ExpiringMap<SessionRecord>(now);
  const reservations = new ExpiringMap<SessionReservation>(now);
  /** Per user and per organization: member -> start time. */
  const users = new Map<string, Map<string, number>>();
  const organizations = new Map<string, Map<string, number>>();

  const indexOf = (map: Map<string, Map<string, number>>, key: string) => {
    let index = map.get(key);
    if (!index) map.set(key, (index = new Map()));
    return index;
  };
  const alive = (member: string) =>
    member.startsWith(PENDING) ? reservations.has(member.slice(1)) : records.has(member);

  function admitMember(userId: string, member: string, score: number, limit: SessionLimit): Admission {
    const places = indexOf(users, userId);
    for (const other of [...places.keys()]) if (!alive(other)) places.delete(other);
    const live = [...places.entries()]
      .filter(([other]) => other !== member)
      .sort((a, b) => a[1] - b[1])
      .map(([other]) => other);
    const evicted: string[] = [];
    if (live.length >= limit.max) {
      if (limit.action === 'refuse') return { admitted: false, live: live.length };
      for (const oldest of live.slice(0, live.length - limit.max + 1)) {
        places.delete(oldest);
        if (oldest.startsWith(PENDING)) reservations.delete(oldest.slice(1));
        else evicted.push(oldest);
      }
    }
    if (!places.has(member)) places.set(member, score);
    return { admitted: true, evicted };
  }

  function write(record: SessionRecord, ttlMs: number, previousOrganizationId: string | null): void {
    records.set(record.id, structuredClone(record), ttlMs);
    indexOf(users, record.userId).set(record.id, record.createdAt.getTime());
    if (previousOrganizationId !== null) organizations.get(previousOrganizationId)?.delete(record.id);
    if (record.organizationId !== null)
      indexOf(organizations, record.organizationId).set(record.id, record.createdAt.getTime());
  }

  function listed(index: Map<string, number> | undefined): SessionRecord[] {
    if (!index) return [];
    return [...index.keys()].flatMap((id) => {
      const record = id.startsWith(PENDING) ? undefined : records.get(id);
      return record ? [structuredClone(record)] : [];
    });
  }

  return {
    async reserve(reservation, limit, ttlMs) {
      const admission = limit
        ? admitMember(reservation.userId, `${PENDING}${reservation.key}`, reservation.at.getTime(), limit)
        : ({ admitted: true, evicted: [] } as Admission);
      if (admission.admitted) reservations.set(reservation.key, structuredClone(reservation), ttlMs);
      return admission;
    },
    findReservation: async (key) => structuredClone(reservations.get(key)),
    async bind(key, record, ttlMs) {
      const places = indexOf(users, record.userId);
      const placed = places.delete(`${PENDING}${key}`);
      reservations.delete(key);
      const current = records.get(record.id);
      if (!placed && !current) return false;
      write(record, ttlMs, current?.organizationId ?? null);
      return true;
    },
    admit: async (userId, id, limit) => admitMember(userId, id, 0, limit),
    async update(record, ttlMs) {
      const current = records.get(record.id);
      if (!current) return false;
      write({ ...record, lastSeenAt: current.lastSeenAt }, ttlMs, current.organizationId);
      return true;
    },
    async touch(id, at, ttlMs) {
      const current = records.get(id);
      if (!current) return false;
      records.set(id, { ...current, lastSeenAt: at }, ttlMs);
      return true;
    },
    get: async (id) => structuredClone(records.get(id)),
    listForUser: async (userId) => listed(users.get(userId)),
    listForOrganization: async (organizationId) => listed(organizations.get(organizationId)),
    async remove(id) {
      const record = records.get(id);
      if (!record) return undefined;
      records.delete(id);
      users.get(record.userId)?.delete(id);
      if (record.organizationId !== null) organizations.get(record.organizationId)?.delete(id);
      return record;
    },
  };
}
