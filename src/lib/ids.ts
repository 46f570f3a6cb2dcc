import { randomBytes } from 'node:crypto';

/** Prefixed random ids (`usr_...`): the prefix tells a reader what an id names, 128 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A random secret for humans to copy (client secrets, API keys): 256 bits, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
