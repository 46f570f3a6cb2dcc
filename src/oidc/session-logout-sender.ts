import { randomUUID } from 'node:crypto';
import type { LogoutNotice, SendLogout } from '../domain/sessions/logout-delivery.js';
import type { OidcProvider } from './provider-factory.js';

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** An application that does not answer within this long counts as not having received it. */
const TIMEOUT_MS = 10_000;

/** The part of oidc-provider's Client the sender reads (its backchannel fields). */
interface LogoutClient {
  clientId: string;
  backchannelLogoutUri?: string | undefined;
  backchannelLogoutSessionRequired?: boolean | undefined;
}

/**
 * Sends a logout token (OIDC Back-Channel Logout 1.0 §2.4) built as oidc-provider builds its own
 * (lib/models/client.js): an IdToken for `logout` use, signed with the provider's keys, with the
 * `events` claim, a fresh `jti`, no nonce, the pairwise `sub` where the client has one. It also
 * carries the session's `sid` whenever the logout has one, which §2.4 allows beside `sub`, so an
 * application can end exactly that session. Only 200 or 204 counts as received (§2.8).
 */
export function createLogoutSender(
  provider: () => OidcProvider,
  fetchImpl: typeof fetch = fetch,
): SendLogout {
  return async (logout) => {
    const op = provider();
    const client = await op.Client.find(logout.clientId);
    const uri = (client as LogoutClient | undefined)?.backchannelLogoutUri;
    if (!client || !uri) return 'skipped';
    // §2.4: a client that requires the sid cannot act on a logout without one.
    if (logout.sid === null && (client as LogoutClient).backchannelLogoutSessionRequired) return 'skipped';
    const token = new op.IdToken({ sub: logout.accountId }, { client });
    (token as unknown as { mask: object }).mask = { sub: null };
    token.set('events', { [BACKCHANNEL_LOGOUT_EVENT]: {} });
    token.set('jti', randomUUID());
    if (logout.sid) token.set('sid', logout.sid);
    const response = await fetchImpl(uri, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: await token.issue({ use: 'logout' }) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status !== 200 && response.status !== 204) {
      throw new Error(`${new URL(uri).origin} answered ${response.status} to a back-channel logout`);
    }
    return 'sent';
  };
}

/**
 * oidc-provider makes the first attempt at RP-initiated logout itself and only reports a failure
 * (`backchannel.error`); the retry goes through the queue like any other logout.
 */
export function retryFailedLogouts(
  provider: OidcProvider,
  retry: (notice: LogoutNotice) => Promise<void>,
  log: { error(details: object, message: string): void },
): void {
  provider.on('backchannel.error', (...args: unknown[]) => {
    const [, , client, accountId, sid] = args as [unknown, unknown, LogoutClient, string, string | undefined];
    retry({ clientId: client.clientId, accountId, sid: sid ?? null }).catch((error: unknown) =>
      log.error({ err: error, clientId: client.clientId }, 'back-channel logout retry not queued'),
    );
  });
}
