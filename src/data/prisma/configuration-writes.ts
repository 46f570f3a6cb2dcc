import { MEMBERSHIPS_TAG, type ConfigurationCache } from '../sql/configuration-cache.js';
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
/** Writes that change users' standing: a membership's, or a user's deletion (its memberships go with it). */
const standingChanged = (model: string, operation: string) =>
  model === 'Membership' || (model === 'User' && operation.startsWith('delete'));
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
 * `prisma`, forgetting the cached configuration after each of its own writes to it, and users'
 * kept standing after each write to memberships: the announcement of the commit would do it too,
 * a moment later; this way a request that follows the write in this process never sees the row
 * as it was. Within a transaction the write is not yet committed: the transaction's end forgets
 * again (database.ts).
 */
export function forgettingConfigurationWrites(prisma: PrismaClient, cache: ConfigurationCache): PrismaClient {
  return prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const result = await query(args);
          if (READS.has(operation)) return result;
          if (CONFIGURATION_MODELS.has(model)) cache.forgetAll();
          else if (standingChanged(model, operation)) cache.forget(MEMBERSHIPS_TAG);
          return result;
        },
      },
    },
  }) as unknown as PrismaClient;
}
