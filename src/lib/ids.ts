import { randomBytes } from 'node:crypto';

/** Prefixed random ids (`usr_...`): the prefix tells a reader what an id names, 128 bits of entropy. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
