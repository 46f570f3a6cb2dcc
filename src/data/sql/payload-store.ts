import type { Payload, PayloadStore } from '../../domain/ports/payload-store.js';
import type { Query } from './query.js';

export interface SqlPayloadStore extends PayloadStore {
  /** Deletes rows past their expiry; reads already ignore them, this only reclaims space. */
  purgeExpired(): Promise<number>;
}

export interface SqlPayloadStoreOptions {
  /** Milliseconds since the epoch; injectable so expiry can be tested without waiting. */
  now?: () => number;
}

const LIVE = `("expires_at" IS NULL OR "expires_at" > $3)`;
const SELECT = `SELECT "payload" FROM "oidc_payloads" WHERE "model" = $1`;

const UPSERT_FROM = `INSERT INTO "oidc_payloads" ("model", "id", "payload", "grant_id", "user_code", "uid", "expires_at", "consumed_at")`;
const ON_CONFLICT = `ON CONFLICT ("model", "id") DO UPDATE SET "payload" = EXCLUDED."payload", "grant_id" = EXCLUDED."grant_id",
  "user_code" = EXCLUDED."user_code", "uid" = EXCLUDED."uid", "expires_at" = EXCLUDED."expires_at",
  "consumed_at" = EXCLUDED."consumed_at"`;
// In place, in one statement: a read-modify-write here could undo a concurrent upsert, and of
// two requests consuming at once only one finds it unconsumed. The arguments number the
// parameters holding the model, the id, the epoch second and the instant.
const consumeOnce = (model: number, id: number, epoch: number, at: number) =>
  `UPDATE "oidc_payloads" SET "payload" = jsonb_set("payload", '{consumed}', to_jsonb($${epoch}::integer)), "consumed_at" = $${at}
    WHERE "model" = $${model} AND "id" = $${id} AND "consumed_at" IS NULL`;

const optionalString = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Durable oidc-provider models (table oidc_payloads) in plain SQL. These statements run on every
 * refresh and code exchange, where an ORM's per-query overhead was most of the CPU spent, so
 * they are written out once here instead. Expired rows read as missing.
 */
export function createSqlPayloadStore(query: Query, options: SqlPayloadStoreOptions = {}): SqlPayloadStore {
  const now = options.now ?? Date.now;
  const findBy = async (column: 'id' | 'uid' | 'user_code', model: string, value: string) => {
    const { rows } = await query<{ payload: Payload }>(
      `gh_payload_by_${column}`,
      `${SELECT} AND "${column}" = $2 AND ${LIVE} LIMIT 1`,
      [model, value, new Date(now())],
    );
    return rows[0]?.payload;
  };

  const columns = (model: string, id: string, payload: Payload, expiresIn: number | undefined) => [
    model,
    id,
    JSON.stringify(payload),
    optionalString(payload.grantId),
    optionalString(payload.userCode),
    optionalString(payload.uid),
    expiresIn === undefined ? null : new Date(now() + expiresIn * 1000),
    typeof payload.consumed === 'number' ? new Date(payload.consumed * 1000) : null,
  ];

  return {
    async upsert(model, id, payload, expiresIn) {
      await query(
        'gh_payload_upsert',
        `${UPSERT_FROM} VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ${ON_CONFLICT}`,
        columns(model, id, payload, expiresIn),
      );
    },
    async upsertConsuming(model, consumedId, id, payload, expiresIn) {
      const at = now();
      const { rows } = await query<{ consumed: boolean }>(
        'gh_payload_rotate',
        `WITH "consumed" AS (${consumeOnce(1, 9, 10, 11)} RETURNING 1),
         "saved" AS (
           ${UPSERT_FROM} SELECT $1, $2, $3::jsonb, $4, $5, $6, $7::timestamp(3), $8::timestamp(3)
            WHERE EXISTS (SELECT 1 FROM "consumed") ${ON_CONFLICT}
         )
         SELECT EXISTS (SELECT 1 FROM "consumed") AS "consumed"`,
        [...columns(model, id, payload, expiresIn), consumedId, Math.floor(at / 1000), new Date(at)],
      );
      return rows[0]?.consumed === true;
    },
    find: (model, id) => findBy('id', model, id),
    findByUid: (model, uid) => findBy('uid', model, uid),
    findByUserCode: (model, userCode) => findBy('user_code', model, userCode),
    async consume(model, id) {
      const at = now();
      const { rowCount } = await query('gh_payload_consume_once', consumeOnce(1, 2, 3, 4), [
        model,
        id,
        Math.floor(at / 1000),
        new Date(at),
      ]);
      return rowCount === 1;
    },
    async destroy(model, id) {
      await query('gh_payload_destroy', `DELETE FROM "oidc_payloads" WHERE "model" = $1 AND "id" = $2`, [
        model,
        id,
      ]);
    },
    async revokeByGrantId(model, grantId) {
      await query('gh_payload_revoke', `DELETE FROM "oidc_payloads" WHERE "model" = $1 AND "grant_id" = $2`, [
        model,
        grantId,
      ]);
    },
    async purgeExpired() {
      const { rowCount } = await query(
        'gh_payload_purge',
        `DELETE FROM "oidc_payloads" WHERE "expires_at" <= $1`,
        [new Date(now())],
      );
      return rowCount;
    },
  };
}
