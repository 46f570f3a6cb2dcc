import { randomBytes } from 'node:crypto';
import type { ConnectionRecord } from '../../domain/ports/connections.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import { oidcConnectionFrom, type ClientAssertionKey } from '../../federation/oidc/oidc-connection.js';
import type { UpstreamOidc } from '../../federation/oidc/upstream-oidc.js';
import { samlConnectionFrom } from '../../federation/saml/saml-connection.js';
import type { SamlServiceProvider } from '../../federation/saml/service-provider.js';
import { SamlRejection } from '../../federation/saml/saml-rejection.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { SignInTickets } from './sign-in-tickets.js';

/** Why an upstream sign-in failed, in words fit for the person signing in. */
export class UpstreamSignInError extends Error {
  /** The answer was to a portal test: the administrator goes back to the portal, not to an error page. */
  test = false;

  constructor(
    readonly code: string,
    readonly publicMessage: string,
    detail?: string,
  ) {
    super(detail ?? publicMessage);
  }
}

export interface UpstreamSignInDeps {
  db: Database;
  envelope: Envelope;
  upstreamOidc: UpstreamOidc;
  saml: SamlServiceProvider;
  /** Fetches the IdP metadata of a SAML connection that names a metadata URL. */
  samlMetadata(
    connection: ConnectionRecord & { settings: { idp_metadata_url?: string } },
  ): Promise<Record<string, unknown>>;
  tickets: SignInTickets;
  /** Gatehouse's signing key, for connections authenticating with private_key_jwt. */
  clientAssertionKey: ClientAssertionKey;
}

/** Where the browser goes once the IdP's answer is verified. */
export type UpstreamAnswer =
  | { kind: 'interaction'; uid: string; ticket: string }
  /** IdP-initiated: to the application, which starts a sign-in that picks the ticket up. */
  | { kind: 'application'; clientId: string; ticket: string; email: string | undefined }
  /** A portal test: back to the portal with what the IdP sent; nobody is signed in. */
  | { kind: 'test'; connection: ConnectionRecord; identity: UpstreamIdentity };

const unavailable = () =>
  new UpstreamSignInError(
    'connection_unavailable',
    'Single sign-on for your organization is not available right now. Contact your administrator.',
  );
const expired = () =>
  new UpstreamSignInError(
    'unknown_state',
    'This sign-in link has expired or was already used. Start again from the application.',
  );
const rejected = (detail: string, code = 'upstream_rejected') =>
  new UpstreamSignInError(
    code,
    'The answer from your organization’s identity provider could not be verified.',
    detail,
  );
const duringTest = (error: UpstreamSignInError, testing: boolean | undefined) => {
  error.test = testing === true;
  return error;
};

/**
 * The hops of a sign-in at an organization's IdP: where to send the browser, and what to make
 * of the answer. The answer becomes a ticket; the interaction route finishes the sign-in.
 */
export function createUpstreamSignIn(deps: UpstreamSignInDeps) {
  // A disabled connection answers only a portal test (`testing`), never a sign-in.
  const usableConnection = async (id: string, type?: ConnectionRecord['type'], testing = false) => {
    const connection = await deps.db.connections.findById(id);
    if (!connection || (!connection.enabled && !testing) || (type && connection.type !== type))
      throw unavailable();
    return connection;
  };
  // A connection given by metadata URL is usable from its first sign-in, not only after the
  // scheduled refresh has run.
  const samlConnection = async (record: ConnectionRecord) => {
    const settings = record.settings as { idp_metadata_url?: string };
    if (record.upstreamMetadata === null && settings.idp_metadata_url) {
      const upstreamMetadata = await deps.samlMetadata({ ...record, settings }).catch((error: Error) => {
        throw new UpstreamSignInError('connection_unavailable', unavailable().publicMessage, error.message);
      });
      await deps.db.connections.update(record.id, { upstreamMetadata });
      return samlConnectionFrom({ ...record, upstreamMetadata }, deps.envelope);
    }
    return samlConnectionFrom(record, deps.envelope);
  };
  const ticketFor = (uid: string, identity: UpstreamIdentity): Promise<UpstreamAnswer> =>
    deps.tickets.issueTicket({ uid, identity }).then((ticket) => ({ kind: 'interaction', uid, ticket }));
  const redirectFor = async (connection: ConnectionRecord, uid: string, loginHint?: string, test = false) => {
    if (connection.type === 'saml') {
      const handle = randomBytes(24).toString('base64url');
      const saml = await samlConnection(connection);
      const { url, requestId } = await deps.saml.startLogin(saml, handle);
      await deps.tickets.savePending(handle, {
        uid,
        connectionId: connection.id,
        samlRequestId: requestId,
        ...(test ? { test } : {}),
      });
      return url;
    }
    // OIDC Core §3.1.2.1: login_hint saves the person typing their email twice at the IdP.
    const pending = await deps.upstreamOidc.start(
      await oidcConnectionFrom(connection, deps.envelope, deps.clientAssertionKey),
      loginHint ? { login_hint: loginHint } : {},
    );
    const { url, ...checks } = pending;
    await deps.tickets.savePending(checks.state, {
      uid,
      connectionId: connection.id,
      oidc: checks,
      ...(test ? { test } : {}),
    });
    return url;
  };

  return {
    /** The URL of the IdP's sign-in for this interaction. */
    async start(uid: string, connectionId: string, loginHint?: string): Promise<string> {
      return redirectFor(await usableConnection(connectionId), uid, loginHint);
    },

    /**
     * A portal "test connection" of an organization's own connection, enabled or not: the IdP's
     * sign-in URL. The answer comes back through the usual callback or ACS and its usual checks.
     */
    async startTest(organizationId: string, connectionId: string): Promise<string> {
      const connection = await usableConnection(connectionId, undefined, true);
      if (connection.organizationId !== organizationId) throw unavailable();
      return redirectFor(connection, '', undefined, true);
    },

    /** The IdP's redirect back: verified by openid-client, then left as a ticket for the interaction. */
    async oidcCallback(connectionId: string, callbackUrl: URL): Promise<UpstreamAnswer> {
      const state = callbackUrl.searchParams.get('state');
      const pending = state ? await deps.tickets.takePending(state) : undefined;
      // RFC 9700 §4.4.2: one redirect URI per IdP, so an answer for another connection is a mix-up.
      if (!pending?.oidc || pending.connectionId !== connectionId) throw expired();
      const connection = await usableConnection(connectionId, 'oidc', pending.test);
      const upstreamError = callbackUrl.searchParams.get('error');
      if (upstreamError) {
        const error = new UpstreamSignInError(
          'upstream_error',
          'Your organization’s identity provider did not sign you in.',
          `upstream error ${upstreamError}: ${callbackUrl.searchParams.get('error_description') ?? ''}`,
        );
        throw duringTest(error, pending.test);
      }
      const oidc = await oidcConnectionFrom(connection, deps.envelope, deps.clientAssertionKey);
      const identity = await deps.upstreamOidc
        .complete(oidc, callbackUrl, pending.oidc)
        .catch((error: Error) => Promise.reject(duringTest(rejected(error.message), pending.test)));
      if (pending.test) return { kind: 'test', connection, identity } satisfies UpstreamAnswer;
      return ticketFor(pending.uid, identity);
    },

    /**
     * The SAML ACS (HTTP-POST binding). An answer to our AuthnRequest must come back with the
     * RelayState of the sign-in that sent it; an unsolicited one (IdP-initiated) is accepted only
     * when the connection allows it, and lands in the application it names.
     */
    async samlAcs(
      connectionId: string,
      form: { SAMLResponse?: unknown; RelayState?: unknown },
    ): Promise<UpstreamAnswer> {
      // Peeked, not taken: the RelayState is used up only once the response has been verified.
      const relay = typeof form.RelayState === 'string' ? form.RelayState : undefined;
      const peeked = relay ? await deps.tickets.peekPending(relay) : undefined;
      const testing = peeked?.test === true && peeked.connectionId === connectionId;
      const connection = await usableConnection(connectionId, 'saml', testing);
      const saml = await samlConnection(connection);
      let accepted;
      try {
        accepted = await deps.saml.acceptResponse(saml, form);
      } catch (error) {
        if (error instanceof SamlRejection)
          throw duringTest(rejected(`${error.reason}: ${error.message}`, `saml_${error.reason}`), testing);
        throw error;
      }
      if (accepted.upstreamMetadataUpdate) {
        await deps.db.connections.update(connectionId, { upstreamMetadata: accepted.upstreamMetadataUpdate });
      }
      const { identity, inResponseTo, relayState } = accepted;
      if (inResponseTo !== null) {
        const pending = relayState ? await deps.tickets.takePending(relayState) : undefined;
        if (!pending || pending.connectionId !== connectionId || pending.samlRequestId !== inResponseTo) {
          throw expired();
        }
        if (pending.test) return { kind: 'test', connection, identity };
        if (!connection.enabled) throw unavailable();
        return ticketFor(pending.uid, identity);
      }
      if (!connection.enabled) throw unavailable();
      const clientId = saml.settings.idp_initiated_client;
      if (!clientId)
        throw rejected('unsolicited response without idp_initiated_client', 'saml_idp_initiated_refused');
      const ticket = await deps.tickets.issueTicket({ uid: null, clientId, identity });
      return { kind: 'application', clientId, ticket, email: identity.email } satisfies UpstreamAnswer;
    },
  };
}
export type UpstreamSignIn = ReturnType<typeof createUpstreamSignIn>;
