import type { Context } from 'koa';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { portalStateOf } from './portal-access.js';

/** Long enough to follow a redirect; a flash nobody reads is gone soon after. */
const FLASH_SECONDS = 5 * 60;

/**
 * What a POST hands to the page it redirects to (post/redirect/get): a result to show once, or a
 * directory's new token, which must appear on that one page and never again on a reload. Kept in
 * the shared store under the portal session, taken (read and deleted) by the page.
 */
export function portalFlash(store: EphemeralStore) {
  const key = (ctx: Context, name: string) => {
    const session = portalStateOf(ctx).portalSession;
    if (!session) throw new Error('portal flash without a portal session');
    return `portal:flash:${session.id}:${name}`;
  };
  return {
    set: (ctx: Context, name: string, value: unknown) =>
      store.put(key(ctx, name), JSON.stringify(value), FLASH_SECONDS),
    async take<T>(ctx: Context, name: string): Promise<T | undefined> {
      const text = await store.take(key(ctx, name));
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
  };
}
export type PortalFlash = ReturnType<typeof portalFlash>;
