import type { ConfigurationCache } from '../sql/configuration-cache.js';
import type { PrismaClient } from './prisma-client.js';

/** The models whose rows the configuration cache keeps (the tables the migrations' triggers watch). */
const CONFIGURATION_MODELS = new Set([
  'Organization',
  'Domain',
  'Connection',
  'RoutingRule',
  'Role',
  'Client',
]);
const READS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
]);

/**
 * `prisma`, forgetting the cached configuration after each of its own writes to it: the
 * announcement of the commit would do it too, a moment later; this way a request that follows
 * the write in this process never sees the row as it was. Within a transaction the write is not
 * yet committed: the transaction's end forgets again (database.ts).
 */
export function forgettingConfigurationWrites(prisma: PrismaClient, cache: ConfigurationCache): PrismaClient {
  return prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const result = await query(args);
          if (CONFIGURATION_MODELS.has(model) && !READS.has(operation)) cache.forgetAll();
          return result;
        },
      },
    },
  }) as unknown as PrismaClient;
}
