import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Env } from './env.js';

export interface BootSecrets {
  keyEncryptionKey: Buffer;
  cookieKeys: string[];
  /** Names of secrets that were generated on this machine (logged as a warning). */
  generated: string[];
}

/**
 * The key-encryption key and cookie keys come from the environment, or from files in KEYS_DIR.
 * Outside production a missing file is created (mode 0600) so a restart keeps tokens and sessions.
 */
export function loadBootSecrets(env: Env): BootSecrets {
  const generated: string[] = [];
  const keyEncryptionKey = loadKeyEncryptionKey(env, generated);
  const cookieKeys =
    env.COOKIE_KEYS ??
    readOrCreate(env, 'cookie-keys', generated, () => randomBytes(32).toString('base64url')).split(',');
  return { keyEncryptionKey, cookieKeys, generated };
}

/** Only the key-encryption key: what operator commands need to read and write secrets. */
export function loadKeyEncryptionKey(env: Env, generated: string[] = []): Buffer {
  const kekText =
    env.GATEHOUSE_KEK ?? readOrCreate(env, 'kek', generated, () => randomBytes(32).toString('base64url'));
  const keyEncryptionKey = Buffer.from(kekText, 'base64url');
  if (keyEncryptionKey.length !== 32) throw new ConfigError('GATEHOUSE_KEK: must be 32 bytes, base64url');
  return keyEncryptionKey;
}

function readOrCreate(env: Env, name: string, generated: string[], make: () => string): string {
  const path = join(env.KEYS_DIR, name);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  if (env.NODE_ENV === 'production') throw new ConfigError(`KEYS_DIR: ${path} is missing`);
  mkdirSync(env.KEYS_DIR, { recursive: true, mode: 0o700 });
  // wx: two processes starting together must not overwrite each other's freshly made key.
  try {
    writeFileSync(path, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    generated.push(name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}

export function kekFileExists(env: Env): boolean {
  return existsSync(join(env.KEYS_DIR, 'kek'));
}
