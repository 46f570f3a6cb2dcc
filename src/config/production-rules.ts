import { ConfigError, type Env } from './env.js';

/**
 * In production nothing may silently fall back to a development default: embedded database,
 * in-process store, generated cookie keys or a generated key-encryption key would each lose
 * data or weaken security without anyone noticing.
 */
export function assertProductionReady(env: Env, kekFileExists: boolean): void {
  if (env.NODE_ENV !== 'production') return;
  const problems: string[] = [];
  if (!env.DATABASE_URL)
    problems.push('DATABASE_URL: required in production (the embedded database is for trying Gatehouse out)');
  if (!env.REDIS_URL)
    problems.push('REDIS_URL: required in production (the in-process store is not shared between instances)');
  if (!env.COOKIE_KEYS)
    problems.push('COOKIE_KEYS: required in production (generated keys would log everyone out on restart)');
  if (!env.GATEHOUSE_KEK && !kekFileExists) {
    problems.push(
      'GATEHOUSE_KEK: required in production (or a kek file in KEYS_DIR); it encrypts signing keys and secrets',
    );
  }
  if (!env.ISSUER.startsWith('https://')) problems.push('ISSUER: must be an https URL in production');
  if (env.DEMO) problems.push('DEMO: the demo client and user cannot be enabled in production');
  if (problems.length > 0)
    throw new ConfigError(`refusing to start in production:\n  ${problems.join('\n  ')}`);
}

/**
 * Settings production can run without but should not. Without SMTP_URL, email codes and security
 * notices only reach the log (bodies left out) and an outbox nobody reads: sign-ins that need an
 * email code cannot finish. A warning, not a refusal, so a deployment that offers no email factor
 * still boots.
 */
export function productionWarnings(env: Env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return env.SMTP_URL ? [] : ['SMTP_URL: not set; emails (codes, security notices) are not delivered'];
}
