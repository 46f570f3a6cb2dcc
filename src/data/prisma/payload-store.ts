import type { Payload, PayloadStore } from '../../domain/ports/payload-store.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { PrismaExecutor } from './prisma-client.js';

export interface PrismaPayloadStore extends PayloadStore {
  /** Deletes rows past their expiry; reads already ignore them, this only reclaims space. */
  purgeExpired(): Promise<number>;
}

export interface PrismaPayloadStoreOptions {
  /** Milliseconds since the epoch; injectable so expiry can be tested without waiting. */
  now?: () => number;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Durable oidc-provider models (table oidc_payloads). Expired rows read as missing. */
export function createPrismaPayloadStore(
  db: PrismaExecutor,
  options: PrismaPayloadStoreOptions = {},
): PrismaPayloadStore {
  const now = options.now ?? Date.now;
  const live = () => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now()) } }] });
  const read = (row: { payload: unknown } | null): Payload | undefined =>
    row ? (fromJsonColumn(row.payload as never) as Payload) : undefined;

  return {
    async upsert(model, id, payload, expiresIn) {
      const data = {
        payload: toJsonColumn(payload),
        grantId: optionalString(payload.grantId),
        userCode: optionalString(payload.userCode),
        uid: optionalString(payload.uid),
        expiresAt: expiresIn === undefined ? null : new Date(now() + expiresIn * 1000),
        consumedAt: typeof payload.consumed === 'number' ? new Date(payload.consumed * 1000) : null,
      };
      await db.oidcPayload.upsert({
        where: { model_id: { model, id } },
        create: { model, id, ...data },
        update: data,
      });
    },
    async find(model, id) {
      return read(await db.oidcPayload.findFirst({ where: { model, id, ...live() } }));
    },
    async findByUid(model, uid) {
      return read(await db.oidcPayload.findFirst({ where: { model, uid, ...live() } }));
    },
    async findByUserCode(model, userCode) {
      return read(await db.oidcPayload.findFirst({ where: { model, userCode, ...live() } }));
    },
    async consume(model, id) {
      const at = now();
      const seconds = Math.floor(at / 1000);
      // In place, in one statement: a read-modify-write here could undo a concurrent upsert.
      await db.$executeRaw`
        UPDATE "oidc_payloads"
           SET "payload" = jsonb_set("payload", '{consumed}', to_jsonb(${seconds}::integer)),
               "consumed_at" = ${new Date(at)}
         WHERE "model" = ${model} AND "id" = ${id}`;
    },
    async destroy(model, id) {
      await db.oidcPayload.deleteMany({ where: { model, id } });
    },
    async revokeByGrantId(model, grantId) {
      await db.oidcPayload.deleteMany({ where: { model, grantId } });
    },
    async purgeExpired() {
      const result = await db.oidcPayload.deleteMany({
        where: { expiresAt: { lte: new Date(now()) } },
      });
      return result.count;
    },
  };
}
