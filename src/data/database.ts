import { createAuditSealer, type AuditSealer } from '../domain/audit/record-hash.js';
import type { Database, Repositories } from '../domain/ports/repositories.js';
import { forgetAllInRequest } from '../lib/request-scope.js';
import { applyMigrations } from './migrations/runner.js';
import type { MigrationLog } from './migrations/runner.js';
import { connectPglite, connectPostgres } from './prisma/connect.js';
import type { PrismaConnection } from './prisma/connect.js';
import type { PrismaExecutor } from './prisma/prisma-client.js';
import { createSqlPayloadStore } from './sql/payload-store.js';
import { preparedRepositories } from './sql/prepared-repositories.js';
import type { SqlPayloadStore, SqlPayloadStoreOptions } from './sql/payload-store.js';
import { createRepositories } from './prisma/repositories.js';
import { createChainAppender, type ChainAppender } from './prisma/audit-chain-fast-append.js';
import { forgettingConfigurationWrites } from './prisma/configuration-writes.js';
import { followConfigurationAnnouncements } from './sql/configuration-announcements.js';
import { createConfigurationCache, type ConfigurationCache } from './sql/configuration-cache.js';
import type { NotificationListener } from './sql/notification-listener.js';

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite under `dataDir` is used. */
  url?: string;
  dataDir: string;
  /** Upper bound for one transaction, including time spent waiting for a `withLock` lock. */
  transactionTimeoutMs?: number;
  /** Connection errors that happen outside any query (idle pooled connections). */
  onError?: (error: Error) => void;
  /**
   * Keys the audit hash chain (domain/audit/record-hash.ts `deriveAuditKey`); a function is read on
   * the first audit write. The server and the CLI always pass it. Without it the chain is keyed
   * with an empty key: edits and deletions still show, but whoever can write the database could
   * also recompute the chain.
   */
  auditKey?: Buffer | (() => Buffer);
  /**
   * Keep the configuration sign-ins and token requests read (organizations, domains, connections,
   * routing rules, roles, clients) in memory across requests, forgotten on every change
   * (sql/configuration-cache.ts).
   * The server does; a one-off command (the CLI) has nothing to gain.
   */
  cacheConfiguration?: boolean;
}

export interface OpenedDatabase extends Database {
  readonly kind: 'postgres' | 'pglite';
  /** Applies pending `prisma/migrations/*` on this database; returns the names applied. */
  migrate(migrationsDir: string, log?: MigrationLog): Promise<string[]>;
  payloadStore(options?: SqlPayloadStoreOptions): SqlPayloadStore;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const connectOptions = {
    transactionTimeoutMs: options.transactionTimeoutMs ?? 10_000,
    onError: options.onError ?? (() => {}),
  };
  const connection = options.url
    ? connectPostgres(options.url, connectOptions)
    : await connectPglite(options.dataDir, connectOptions);
  const auditSealer = createAuditSealer(options.auditKey ?? Buffer.alloc(0));
  const configuration = options.cacheConfiguration
    ? await cachedConfiguration(connection, connectOptions.onError)
    : undefined;
  return createDatabase(connection, options.url ? 'postgres' : 'pglite', auditSealer, configuration);
}

interface CachedConfiguration {
  cache: ConfigurationCache;
  listener: NotificationListener;
}

async function cachedConfiguration(
  connection: PrismaConnection,
  onError: (error: Error) => void,
): Promise<CachedConfiguration> {
  const cache = createConfigurationCache();
  const listener = await followConfigurationAnnouncements({
    cache,
    listen: connection.listen,
    notify: async (channel, payload) => {
      await connection.query('gh_notify', 'SELECT pg_notify($1, $2)', [channel, payload]);
    },
    onError,
  });
  return { cache, listener };
}

/**
 * Runs the work, then appends the events and audit records it queued: last, so their counter and
 * chain-head locks are held briefly.
 */
async function inTransaction<T>(
  tx: PrismaExecutor,
  audit: { auditSealer: AuditSealer; appender: ChainAppender },
  work: (repos: Repositories) => Promise<T>,
): Promise<T> {
  const repos = createRepositories(tx, { inTransaction: true, ...audit });
  const result = await work(repos);
  await repos.events.flushQueued();
  await repos.audit.flushQueued();
  return result;
}

/**
 * A transaction may write any row a request's reads remembered (lib/request-scope.ts) or the
 * configuration cache keeps, and its writes are committed only now: the reads after it go to the
 * database again.
 */
async function afterwardsFresh<T>(transaction: Promise<T>, cache?: ConfigurationCache): Promise<T> {
  try {
    return await transaction;
  } finally {
    forgetAllInRequest();
    cache?.forgetAll();
  }
}

function createDatabase(
  connection: PrismaConnection,
  kind: OpenedDatabase['kind'],
  auditSealer: AuditSealer,
  configuration: CachedConfiguration | undefined,
): OpenedDatabase {
  const cache = configuration?.cache;
  const prisma = cache ? forgettingConfigurationWrites(connection.prisma, cache) : connection.prisma;
  const appender = createChainAppender({
    sealer: auditSealer,
    query: connection.query,
    transaction: connection.transaction,
  });
  const repositories = createRepositories(prisma, { auditSealer, appender });
  const prepared = preparedRepositories(repositories, connection.query, cache);
  return {
    kind,
    ...repositories,
    ...prepared,
    ...(cache ? { keptConfiguration: cache } : {}),
    transaction<T>(work: (repos: Repositories) => Promise<T>) {
      return afterwardsFresh(
        prisma.$transaction((tx) => inTransaction(tx, { auditSealer, appender }, work)),
        cache,
      );
    },
    withLock<T>(name: string, work: (repos: Repositories) => Promise<T>) {
      return afterwardsFresh(
        prisma.$transaction(async (tx) => {
          // Transaction-scoped: released by COMMIT/ROLLBACK, so a crash can never leak it.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
          return inTransaction(tx, { auditSealer, appender }, work);
        }),
        cache,
      );
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    async close() {
      // Records appended as responses went out (token issues) are written before the pool goes.
      await repositories.audit.drain();
      await configuration?.listener.close();
      await connection.close();
    },
    migrate: (migrationsDir, log) =>
      connection.withExecutor((sql) => applyMigrations(sql, migrationsDir, log)),
    payloadStore(storeOptions) {
      const store = createSqlPayloadStore(connection.query, storeOptions);
      const now = storeOptions?.now ?? Date.now;
      // A token or grant read ahead of the token endpoint brings the grant's access along (the
      // endpoint's next read), in the same statement.
      return {
        ...store,
        async findWithGrant(model, id) {
          const { payload, grant } = await prepared.access.tokenWithAccess(model, id, new Date(now()));
          return { payload, grant };
        },
        async findGrantAhead(grantId) {
          return (await prepared.access.grantWithAccess(grantId, new Date(now()))).grant;
        },
      };
    },
  };
}
