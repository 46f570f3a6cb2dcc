import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';

export const DEVICE_COOKIE = 'gh_device';
/** Browsers cap cookie lifetimes at 400 days (RFC 6265bis §5.5); ask for all of it. */
const MAX_AGE_MS = 400 * 24 * 3600 * 1000;
const VALUE = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The browser's long-lived device cookie: a random value set at sign-in (HttpOnly, SameSite=Lax,
 * Secure over https), of which only the SHA-256 is stored, so a database read does not hand out
 * cookies that would pass as known devices. Returns the hash of the value the browser brought, or
 * of the one it gets now (`issued`): that one becomes known once this sign-in succeeds.
 */
export function deviceCookie(ctx: Context, secure: boolean): { hash: string; issued: boolean } {
  const brought = ctx.cookies.get(DEVICE_COOKIE);
  if (brought && VALUE.test(brought)) return { hash: sha256(brought), issued: false };
  const value = randomBytes(32).toString('base64url');
  ctx.cookies.set(DEVICE_COOKIE, value, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
    maxAge: MAX_AGE_MS,
    signed: false,
    overwrite: true,
  });
  return { hash: sha256(value), issued: true };
}
