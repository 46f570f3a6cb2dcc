import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret: a prefix naming what it opens, then 256 random bits. */
export const newBearerToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * What is stored of a bearer token: its SHA-256. With 256 random bits a plain digest cannot be
 * searched (no pepper or slow hash needed), and a database leak yields no token. Lookups go by
 * digest, a value the caller cannot steer, so comparing it leaks no timing about the stored one.
 */
export const digestBearerToken = (token: string) => createHash('sha256').update(token).digest('base64url');
