import { parseEnv, type Env } from '../config/env.js';
import { loadKeyEncryptionKey } from '../config/secrets.js';
import { deriveAuditKey } from '../domain/audit/record-hash.js';
import type { ConfigDeps } from '../domain/config/desired-state.js';
import type { OpenedDatabase } from '../data/database.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import { CliError, EXIT_INVALID_INPUT } from './errors.js';
import { generateSpCredential } from '../federation/saml/index.js';
import { createEnvelope } from '../lib/crypto/envelope.js';
import { createArgon2Hasher } from '../lib/crypto/password.js';
import { migrationsDir } from '../lib/project-paths.js';

/** Where commands write; injected so output stays testable and stdout carries only results. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Read when a command runs, not at start-up, so `--help` works with an incomplete environment. */
export const readEnv = (): Env => parseEnv(process.env);

/** An operator command may hash many passwords in one apply transaction: allow it a minute. */
const CLI_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * Opens the database for one command and always closes it. The embedded database is migrated on
 * open as the server does; PostgreSQL is migrated only by `gatehouse migrate`.
 */
export async function withDatabase<T>(
  env: Env,
  io: Io,
  work: (db: OpenedDatabase) => Promise<T>,
  options: { migrateEmbedded?: boolean } = {},
): Promise<T> {
  // Loaded on demand: Prisma and the drivers take most of the start-up time, and `--help`, usage
  // errors and invalid files are answered without them.
  const { openDatabase } = await import('../data/database.js');
  const db = await openDatabase({
    ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
    dataDir: env.DATA_DIR,
    transactionTimeoutMs: CLI_TRANSACTION_TIMEOUT_MS,
    onError: (error) => io.err(`gatehouse: database connection error: ${error.message}\n`),
    // The server's audit key: records written here join the same chains. Read on the first
    // audit write, so commands that write none run without the key-encryption key.
    auditKey: () => deriveAuditKey(loadKeyEncryptionKey(env)),
  });
  try {
    if ((options.migrateEmbedded ?? true) && db.kind === 'pglite') await db.migrate(migrationsDir());
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * Opens the shared store (Redis) for one command. The embedded store lives inside the server
 * process, so without REDIS_URL there is nothing a separate command could change.
 */
export async function withStore<T>(
  env: Env,
  io: Io,
  work: (store: EphemeralStore) => Promise<T>,
): Promise<T> {
  if (!env.REDIS_URL) {
    throw new CliError(
      'this command needs REDIS_URL: without it the store lives inside the server process; use the admin API instead',
      EXIT_INVALID_INPUT,
    );
  }
  const { openRedis } = await import('../data/redis/open-redis.js');
  const redis = openRedis(env.REDIS_URL, {
    keyPrefix: env.REDIS_KEY_PREFIX,
    onError: (error) => io.err(`gatehouse: store connection error: ${error.message}\n`),
  });
  try {
    await redis.ping();
    return await work(redis.ephemeralStore());
  } finally {
    await redis.close();
  }
}

/** The key-encryption key (client secrets, signing keys), the password hasher, the SAML SP key maker. */
export function configDeps(env: Env): ConfigDeps {
  return {
    envelope: createEnvelope(loadKeyEncryptionKey(env)),
    hasher: createArgon2Hasher(),
    spCredential: generateSpCredential,
  };
}
