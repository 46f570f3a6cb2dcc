import type { RecoveryCodeRepository } from '../../domain/ports/mfa.js';
import { newId } from '../../lib/ids.js';
import type { PrismaExecutor } from './prisma-client.js';

export function createRecoveryCodeRepository(db: PrismaExecutor): RecoveryCodeRepository {
  return {
    async replaceFor(userId, codeHashes) {
      // One set of codes per user: callers run this inside a transaction so a failure keeps the
      // old set, and a concurrent redemption sees either the old set or the new one.
      await db.recoveryCode.deleteMany({ where: { userId } });
      await db.recoveryCode.createMany({
        data: codeHashes.map((codeHash) => ({ id: newId('rc'), userId, codeHash })),
      });
    },
    async consume(userId, codeHash, at) {
      // One conditional UPDATE: PostgreSQL re-checks `used_at IS NULL` on the locked row, so of two
      // concurrent redemptions of one code exactly one counts a row.
      const { count } = await db.recoveryCode.updateMany({
        where: { userId, codeHash, usedAt: null },
        data: { usedAt: at },
      });
      return count === 1;
    },
    countUnused(userId) {
      return db.recoveryCode.count({ where: { userId, usedAt: null } });
    },
  };
}
