import type { MonthlyActiveUserRepository } from '../../domain/ports/monthly-active-users.js';
import type { PrismaExecutor } from './prisma-client.js';

export function createMonthlyActiveUserRepository(db: PrismaExecutor): MonthlyActiveUserRepository {
  return {
    async record(organizationId, month, userId) {
      // INSERT .. ON CONFLICT DO NOTHING: the same user signing in twice at once writes one row.
      const { count } = await db.monthlyActiveUser.createMany({
        data: [{ organizationId, month, userId }],
        skipDuplicates: true,
      });
      return count === 1;
    },
    async has(organizationIds, month, userId) {
      const row = await db.monthlyActiveUser.findFirst({
        where: { organizationId: { in: [...organizationIds] }, month, userId },
        select: { userId: true },
      });
      return row !== null;
    },
    async count(organizationIds, month) {
      if (organizationIds.length === 0) return 0;
      // A user active in two organizations of one contract counts once.
      const rows = await db.$queryRaw<Array<{ count: bigint }>>`
        SELECT count(DISTINCT "user_id") AS "count" FROM "monthly_active_users"
         WHERE "organization_id" = ANY(${[...organizationIds]}::text[]) AND "month" = ${month}`;
      return Number(rows[0]?.count ?? 0);
    },
  };
}
