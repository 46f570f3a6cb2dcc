import { parseEnv, type Env } from '../config/env.js';
import { loadKeyEncryptionKey } from '../config/secrets.js';
import type { ConfigDeps } from '../domain/config/desired-state.js';
import type { OpenedDatabase } from '../data/database.js';
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
  });
  try {
    if ((options.migrateEmbedded ?? true) && db.kind === 'pglite') await db.migrate(migrationsDir());
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The key-encryption key (client secrets, signing keys) and the password hasher. */
export function configDeps(env: Env): ConfigDeps {
  return { envelope: createEnvelope(loadKeyEncryptionKey(env)), hasher: createArgon2Hasher() };
}
