import type {
  MfaFactorRecord,
  MfaFactorRepository,
  MfaFactorType,
  NewMfaFactor,
} from '../../domain/ports/mfa.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import type { MfaFactorRow, PrismaExecutor } from './prisma-client.js';

const FACTOR_TYPES: readonly MfaFactorType[] = ['totp', 'webauthn'];

function factorType(value: string): MfaFactorType {
  // The column is plain text: a value this code does not know is a broken row, not a factor to trust.
  const type = FACTOR_TYPES.find((known) => known === value);
  if (!type) throw new Error(`unknown MFA factor type ${JSON.stringify(value)}`);
  return type;
}

function toRecord(row: MfaFactorRow): MfaFactorRecord {
  return {
    id: row.id,
    userId: row.userId,
    type: factorType(row.type),
    label: row.label,
    secretCiphertext: row.secretCiphertext,
    credentialId: row.credentialId,
    publicKey: row.publicKey,
    signCount: row.signCount,
    transports: row.transports,
    backedUp: row.backedUp,
    confirmedAt: row.confirmedAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
  };
}

/** A factor as a plain SQL read returns it (column names as stored). */
export interface RawMfaFactorRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  type: string;
  label: string | null;
  secret_ciphertext: string | null;
  credential_id: string | null;
  public_key: string | null;
  sign_count: number;
  transports: string[];
  backed_up: boolean;
  confirmed_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

export const fromRaw = (row: RawMfaFactorRow): MfaFactorRecord =>
  toRecord({
    id: row.id,
    userId: row.user_id,
    type: row.type,
    label: row.label,
    secretCiphertext: row.secret_ciphertext,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    signCount: row.sign_count,
    transports: row.transports,
    backedUp: row.backed_up,
    confirmedAt: row.confirmed_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  });

export function createMfaFactorRepository(db: PrismaExecutor): MfaFactorRepository {
  return {
    async listFor(userId) {
      // Factors created in one transaction share created_at: the id keeps the order stable.
      const rows = await db.mfaFactor.findMany({
        where: { userId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toRecord);
    },
    async find(id) {
      const row = await db.mfaFactor.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async create(factor: NewMfaFactor) {
      const row = await translateConstraints(db.mfaFactor.create({ data: factor }), [
        {
          kind: 'unique',
          constraint: 'mfa_factors_credential_id_key',
          error: conflict('the credential is registered already', 'credential_exists'),
        },
      ]);
      return toRecord(row);
    },
    async update(id, changes) {
      const row = await requireFound(
        db.mfaFactor.update({ where: { id }, data: changes }),
        `MFA factor ${id}`,
      );
      return toRecord(row);
    },
    async delete(id) {
      await db.mfaFactor.deleteMany({ where: { id } });
    },
  };
}
