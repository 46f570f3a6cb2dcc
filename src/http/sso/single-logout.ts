import type { ConnectionRecord } from '../../domain/ports/connections.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { Sessions, UpstreamSession } from '../../domain/ports/sessions.js';
import type { LogoutTransport } from '../../federation/saml/logout-decoding.js';
import { samlConnectionFrom } from '../../federation/saml/saml-connection.js';
import { SamlRejection } from '../../federation/saml/saml-rejection.js';
import type { SamlConnection, SamlServiceProvider } from '../../federation/saml/service-provider.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { UpstreamLogout, UpstreamLogoutStep } from '../../oidc/logout-upstream.js';
import { answerIdpLogout } from './single-logout-idp.js';
import {
  incompletePage,
  outgoingAnswer,
  recordUpstreamLogout,
  type SingleLogoutAnswer,
} from './single-logout-pages.js';

export interface SingleLogoutLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SingleLogoutDeps {
  db: Database;
  envelope: Envelope;
  saml: SamlServiceProvider;
  sessions: Pick<Sessions, 'get' | 'listForUser' | 'end' | 'endForUser'>;
  render: RenderPage;
  log: SingleLogoutLog;
}

/** What a LogoutRequest of ours carries until its answer comes back. */
interface SentLogout {
  userId: string;
  /** Where oidc-provider would have sent the browser: the RP's post_logout_redirect_uri or our page. */
  continueTo: string;
}

/**
 * SAML Single Logout with the organizations' IdPs (SAML Profiles §4.4): SP-initiated, when a
 * session that came through a SAML connection ends by RP-initiated logout, and the messages
 * arriving at each connection's SingleLogoutService (the IdP's answers, and its own requests).
 */
export function createSingleLogout(deps: SingleLogoutDeps) {
  const samlConnection = async (id: string): Promise<SamlConnection | undefined> => {
    const record: ConnectionRecord | undefined = await deps.db.connections.findById(id);
    if (record?.type !== 'saml' || !record.enabled) return undefined;
    return samlConnectionFrom(record, deps.envelope);
  };

  /** A LogoutRequest for the IdP session, or the local page when it cannot be sent. */
  const send =
    (connection: SamlConnection, userId: string, upstream: UpstreamSession): UpstreamLogoutStep =>
    async (continueTo) => {
      const state: SentLogout = { userId, continueTo };
      try {
        const message = await deps.saml.startLogout(connection, upstream, JSON.stringify(state));
        await recordUpstreamLogout(deps.db, connection, userId, 'sp_initiated', 'requested');
        return outgoingAnswer(deps.render, message, 'Signing out');
      } catch (error) {
        if (!(error instanceof SamlRejection)) throw error;
        const details = {
          event: 'logout.upstream_failed',
          connectionId: connection.id,
          reason: error.reason,
        };
        deps.log.warn(details, error.message);
        return incompletePage(deps.render, continueTo, 200);
      }
    };

  /** The oidc/ hook (logout-upstream.ts). */
  const upstreamLogout: UpstreamLogout = {
    /** Whether the session's user signed in through a SAML connection doing Single Logout. */
    async prepare(sessionUid) {
      const record = await deps.sessions.get(sessionUid);
      const upstream = record?.upstream;
      if (!record || !upstream) return undefined;
      const connection = await samlConnection(upstream.connectionId);
      if (!connection || !deps.saml.singleLogout(connection)) return undefined;
      return send(connection, record.userId, upstream);
    },
  };

  return {
    upstreamLogout,

    /** A message at /sso/saml/{connection}/slo, by HTTP-Redirect (GET) or HTTP-POST. */
    async receive(
      connectionId: string,
      transport: LogoutTransport,
      log: SingleLogoutLog = deps.log,
    ): Promise<SingleLogoutAnswer> {
      const connection = await samlConnection(connectionId);
      if (!connection) return { status: 404, error: 'unknown_connection' };
      let received;
      try {
        received = await deps.saml.receiveLogout(connection, transport);
      } catch (error) {
        if (!(error instanceof SamlRejection)) throw error;
        return { status: 400, error: `saml_${error.reason}` };
      }
      if (received.kind !== 'response') return answerIdpLogout(deps, connection, received, log);
      const sent = JSON.parse(received.state) as SentLogout;
      const { code, detail } = received.status;
      const result = received.success ? 'success' : 'failed';
      await recordUpstreamLogout(deps.db, connection, sent.userId, 'sp_initiated', result, { status: code });
      if (received.success) return { redirect: sent.continueTo };
      log.warn(
        { event: 'logout.upstream_failed', connectionId, status: code, detail },
        'the IdP did not sign out',
      );
      return incompletePage(deps.render, sent.continueTo, 200);
    },
  };
}
export type SingleLogout = ReturnType<typeof createSingleLogout>;
