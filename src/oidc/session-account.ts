import type { OidcProvider } from './provider-factory.js';

/** oidc-provider reads its session cookie from the request's Koa context. */
type SessionContext = Parameters<OidcProvider['Session']['get']>[0];

/** Who the browser's Gatehouse session belongs to, free of oidc-provider types. */
export interface SessionAccount {
  accountId: string;
  /** Stable for the session's lifetime (the cookie's id rotates at each login; this does not). */
  sessionUid: string;
}

/**
 * The signed-in user of Gatehouse's own session (the one every application's sign-in shares), for
 * Gatehouse's own pages. A browser without a session, or whose session expired or ended at
 * logout, has none: oidc-provider then hands back an empty session, which is never saved here.
 */
export function createSessionAccountReader(provider: () => OidcProvider) {
  return async (ctx: SessionContext): Promise<SessionAccount | undefined> => {
    const session = await provider().Session.get(ctx);
    return session.accountId ? { accountId: session.accountId, sessionUid: session.uid } : undefined;
  };
}
export type SessionAccountReader = ReturnType<typeof createSessionAccountReader>;
