import type {
  SigningKeyRecord,
  SigningKeyRepository,
  SigningKeyState,
} from '../../domain/ports/repositories.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { PrismaExecutor, SigningKeyRow } from './prisma-client.js';

const STATES: readonly SigningKeyState[] = ['next', 'current', 'previous', 'retired'];

function toState(value: string): SigningKeyState {
  // The column is free text; a value we do not know means a newer or broken writer: stop here.
  if (!(STATES as readonly string[]).includes(value)) {
    throw new Error(`signing key has unknown state "${value}"`);
  }
  return value as SigningKeyState;
}

function toRecord(row: SigningKeyRow): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    state: toState(row.state),
    publicJwk: fromJsonColumn(row.publicJwk),
    privateJwkCt: row.privateJwkCt,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
    deactivatedAt: row.deactivatedAt,
  };
}

/**
 * Entering `current` is the activation; leaving it (to previous, or straight to retired) ends
 * its signing life, and a later step to `retired` must not move that moment.
 */
function stampsFor(row: SigningKeyRow, state: SigningKeyState, at: Date) {
  if (state === 'current') return { activatedAt: row.activatedAt ?? at };
  if (state === 'previous' || state === 'retired') return { deactivatedAt: row.deactivatedAt ?? at };
  return {};
}

export function createSigningKeyRepository(db: PrismaExecutor): SigningKeyRepository {
  return {
    async list(states) {
      const rows = await db.signingKey.findMany({
        where: states === undefined ? {} : { state: { in: [...states] } },
        orderBy: [{ createdAt: 'asc' }, { kid: 'asc' }],
      });
      return rows.map(toRecord);
    },
    async insert(key) {
      await db.signingKey.create({
        data: { ...key, publicJwk: toJsonColumn(key.publicJwk) },
      });
    },
    async setState(kid, state, at) {
      const row = await db.signingKey.findUnique({ where: { kid } });
      if (!row) throw new Error(`signing key ${kid} does not exist`);
      await db.signingKey.update({ where: { kid }, data: { state, ...stampsFor(row, state, at) } });
    },
  };
}
