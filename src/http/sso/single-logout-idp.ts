import type { Database } from '../../domain/ports/repositories.js';
import type { Sessions } from '../../domain/ports/sessions.js';
import type { Actor } from '../../domain/ports/tenancy.js';
import { STATUS } from '../../federation/saml/logout-messages.js';
import type { SamlConnection } from '../../federation/saml/service-provider.js';
import type { ReceivedLogout } from '../../federation/saml/single-logout-receive.js';
import type { RenderPage } from '../../lib/render-page.js';
import { outgoingAnswer, recordUpstreamLogout, type SingleLogoutAnswer } from './single-logout-pages.js';

type IdpRequest = Extract<ReceivedLogout, { kind: 'request' | 'refused_request' }>;

export interface IdpLogoutDeps {
  db: Database;
  sessions: Pick<Sessions, 'listForUser' | 'end' | 'endForUser'>;
  render: RenderPage;
}

type Log = { info(details: object, message: string): void; warn(details: object, message: string): void };

const TITLE = 'Signing out';

/**
 * IdP-initiated Single Logout (SAML Profiles §4.4.3.2-§4.4.3.4): the user the connection linked to
 * that NameID loses the sessions that came through this connection (those of the SessionIndex
 * values, when the request names any: Core §3.7.3.2), which also revokes their refresh tokens and
 * tells the applications (back-channel logout); then the signed LogoutResponse goes back to the
 * IdP. A refused request changes nothing and is answered with its error status.
 */
export async function answerIdpLogout(
  deps: IdpLogoutDeps,
  connection: SamlConnection,
  received: IdpRequest,
  log: Log,
): Promise<SingleLogoutAnswer> {
  if (received.kind === 'refused_request') {
    const { reason, message } = received.rejection;
    log.warn({ event: 'logout.upstream_refused', connectionId: connection.id, reason }, message);
    return outgoingAnswer(deps.render, received.respond(received.status), TITLE);
  }
  const identity = await deps.db.identities.find(connection.id, received.nameId);
  if (!identity) {
    await recordUpstreamLogout(deps.db, connection, null, 'idp_initiated', 'unknown_principal');
    const status = { code: STATUS.requester, detail: STATUS.unknownPrincipal };
    return outgoingAnswer(deps.render, received.respond(status), TITLE);
  }
  const actor: Actor = { type: 'system', id: `sso:${connection.id}` };
  let ended: number;
  try {
    ended = await endSessions(deps.sessions, identity.userId, connection.id, received.sessionIndexes, actor);
  } catch (error) {
    // SAML Core §3.7.3.2: a participant that could not end the session answers with an error.
    log.warn(
      { event: 'logout.upstream_failed', connectionId: connection.id, err: error },
      'sessions not ended',
    );
    await recordUpstreamLogout(deps.db, connection, identity.userId, 'idp_initiated', 'failed');
    return outgoingAnswer(deps.render, received.respond({ code: STATUS.responder }), TITLE);
  }
  await recordUpstreamLogout(deps.db, connection, identity.userId, 'idp_initiated', 'success', {
    sessions_ended: ended,
  });
  log.info({ event: 'logout.upstream', connectionId: connection.id, ended }, 'IdP-initiated logout');
  return outgoingAnswer(deps.render, received.respond({ code: STATUS.success }), TITLE);
}

async function endSessions(
  sessions: IdpLogoutDeps['sessions'],
  userId: string,
  connectionId: string,
  sessionIndexes: string[],
  actor: Actor,
): Promise<number> {
  if (sessionIndexes.length === 0) {
    return sessions.endForUser(userId, { connectionId }, 'upstream_logout', actor);
  }
  // A session whose sign-in carried no SessionIndex cannot be told apart: it ends too (ending one
  // session too many is the safe side of a logout).
  const named = (await sessions.listForUser(userId)).filter((record) => {
    const index = record.upstream?.sessionIndex;
    return record.connectionId === connectionId && (index === undefined || sessionIndexes.includes(index));
  });
  let ended = 0;
  for (const record of named) if (await sessions.end(record.id, 'upstream_logout', actor)) ended += 1;
  return ended;
}
