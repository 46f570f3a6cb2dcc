import type { Redis } from 'ioredis';
import type { Admission, SessionRecord, SessionRegistry } from '../../domain/ports/sessions.js';
import { decodeRecord, decodeReservation, encodeRecord, encodeReservation } from './session-record-codec.js';
import { removeScript, reserveScript, touchScript, writeScript } from './session-registry-scripts.js';

const PENDING = '~';
const ms = (value: number) => String(Math.max(1, Math.ceil(value)));

/** The reserve script's reply: {1, evicted ids...} or {0, live count}. */
function admissionFrom(reply: unknown): Admission {
  const [admitted, ...rest] = reply as [number, ...(string | number)[]];
  return admitted === 1
    ? { admitted: true, evicted: rest.map(String) }
    : { admitted: false, live: Number(rest[0]) };
}

/** Session records on Redis, shared by every instance (layout: session-registry-scripts.ts). */
export function createRedisSessionRegistry(redis: Redis, keyPrefix: string): SessionRegistry {
  const base = `${keyPrefix}session:`;
  const keys = {
    record: (id: string) => `${base}rec:${id}`,
    reservation: (key: string) => `${base}pend:${key}`,
    user: (userId: string) => `${base}user:${userId}`,
    organization: (organizationId: string | null) => `${base}org:${organizationId ?? ''}`,
  };

  /** The records of an index's members, dropping members whose record expired. */
  async function recordsOf(indexKey: string): Promise<SessionRecord[]> {
    const ids = (await redis.zrange(indexKey, '0', '-1')).filter((member) => !member.startsWith(PENDING));
    const rows = await Promise.all(ids.map((id) => redis.hmget(keys.record(id), 'record', 'seen')));
    const gone = ids.filter((_, index) => !rows[index]![0]);
    if (gone.length > 0) await redis.zrem(indexKey, ...gone);
    return rows.flatMap(([json, seen]) => (json ? [decodeRecord(json, seen ?? null)] : []));
  }

  async function write(
    record: SessionRecord,
    ttlMs: number,
    options: { reservationKey?: string; previousOrganizationId: string | null; seen: boolean },
  ): Promise<boolean> {
    const { reservationKey, previousOrganizationId } = options;
    const leaves = previousOrganizationId !== null && previousOrganizationId !== record.organizationId;
    const reply = await writeScript(
      redis,
      [
        keys.record(record.id),
        keys.user(record.userId),
        keys.organization(record.organizationId),
        keys.organization(previousOrganizationId),
        keys.reservation(reservationKey ?? ''),
      ],
      [
        record.id,
        reservationKey === undefined ? '' : `${PENDING}${reservationKey}`,
        encodeRecord(record),
        options.seen ? String(record.lastSeenAt.getTime()) : '',
        ms(ttlMs),
        record.createdAt.getTime(),
        record.organizationId === null ? '0' : '1',
        leaves ? '1' : '0',
        ms(record.expiresAt.getTime() - record.lastSeenAt.getTime()),
      ],
    );
    return reply === 1;
  }

  return {
    async reserve(reservation, limit, ttlMs) {
      const reply = await reserveScript(
        redis,
        [keys.user(reservation.userId), keys.reservation(reservation.key)],
        [
          keys.record(''),
          keys.reservation(''),
          limit ? `${PENDING}${reservation.key}` : '',
          reservation.at.getTime(),
          encodeReservation(reservation),
          ms(ttlMs),
          limit?.max ?? 0,
          limit?.action ?? 'end_oldest',
        ],
      );
      return admissionFrom(reply);
    },
    async findReservation(key) {
      const json = await redis.get(keys.reservation(key));
      return json ? decodeReservation(json) : undefined;
    },
    async admit(userId, id, limit) {
      const reply = await reserveScript(
        redis,
        [keys.user(userId), keys.reservation('')],
        [keys.record(''), keys.reservation(''), id, 0, '', '0', limit.max, limit.action],
      );
      return admissionFrom(reply);
    },
    bind: (key, record, ttlMs) =>
      write(record, ttlMs, { reservationKey: key, previousOrganizationId: null, seen: true }),
    async update(record, ttlMs) {
      const current = await redis.hget(keys.record(record.id), 'record');
      if (!current) return false;
      const previous = decodeRecord(current, null).organizationId;
      return write(record, ttlMs, { previousOrganizationId: previous, seen: false });
    },
    async touch(id, at, ttlMs) {
      return (await touchScript(redis, [keys.record(id)], [at.getTime(), ms(ttlMs)])) === 1;
    },
    async get(id) {
      const [json, seen] = await redis.hmget(keys.record(id), 'record', 'seen');
      return json ? decodeRecord(json, seen ?? null) : undefined;
    },
    listForUser: (userId) => recordsOf(keys.user(userId)),
    listForOrganization: (organizationId) => recordsOf(keys.organization(organizationId)),
    async remove(id) {
      const reply = (await removeScript(redis, [keys.record(id)], [base, id])) as [string, string] | null;
      return reply ? decodeRecord(reply[0], reply[1] || null) : undefined;
    },
  };
}
