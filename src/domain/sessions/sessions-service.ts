import type { Actor, AuditRepository } from '../ports/tenancy.js';
import type {
  SessionEndReason,
  SessionFilter,
  SessionProtocol,
  SessionRecord,
  SessionRegistry,
  Sessions,
} from '../ports/sessions.js';
import { SYSTEM_ACTOR, sessionEndEntry } from './session-audit.js';
import { sessionState } from './session-liveness.js';

export interface SessionLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SessionsDeps {
  registry: SessionRegistry;
  protocol: SessionProtocol;
  audit: Pick<AuditRepository, 'append'>;
  now: () => Date;
  log: SessionLog;
}

const matches = (filter: SessionFilter) => (record: SessionRecord) =>
  (filter.organizationId === undefined || record.organizationId === filter.organizationId) &&
  (filter.connectionId === undefined || record.connectionId === filter.connectionId);

const oldestFirst = (a: SessionRecord, b: SessionRecord) => a.createdAt.getTime() - b.createdAt.getTime();

/**
 * Reads and ends sessions. Ending one removes its record and its protocol state (oidc-provider's
 * session, the grants and tokens issued in it) and queues a back-channel logout to each
 * application in it; ending what is already gone is harmless, so two instances may race.
 */
export function createSessions(deps: SessionsDeps): Sessions {
  const live = (records: SessionRecord[]) =>
    records.filter((record) => sessionState(record, deps.now()) === 'live').sort(oldestFirst);

  // The record (then its audit entry) and the protocol state go side by side: each step is
  // harmless to repeat, and a request that finds either gone treats the session as ended.
  const removeRecord = async (id: string, reason: SessionEndReason, actor: Actor) => {
    const record = await deps.registry.remove(id);
    const entry = record && sessionEndEntry(record, reason, actor);
    if (entry) await deps.audit.append(entry);
    return record;
  };

  const end: Sessions['end'] = async (id, reason, actor = SYSTEM_ACTOR) => {
    const [record, hadProtocolState] = await Promise.all([
      removeRecord(id, reason, actor),
      deps.protocol.end(id),
    ]);
    deps.log.info(
      { event: 'session.ended', sessionId: id, userId: record?.userId, reason, actor: actor.type },
      'session ended',
    );
    return record !== undefined || hadProtocolState;
  };

  // Ends every stored record, live or not: one the idle clock already counts as over may still
  // have protocol state (a refresh token) until its store entry expires.
  const endAll = async (records: SessionRecord[], reason: SessionEndReason, actor?: Actor) => {
    let ended = 0;
    for (const record of records) if (await end(record.id, reason, actor)) ended += 1;
    return ended;
  };

  return {
    async get(id) {
      const record = await deps.registry.get(id);
      return record && sessionState(record, deps.now()) === 'live' ? record : undefined;
    },
    listForUser: async (userId) => live(await deps.registry.listForUser(userId)),
    listForOrganization: async (organizationId) =>
      live(await deps.registry.listForOrganization(organizationId)),
    end,
    endForUser: async (userId, filter, reason, actor) =>
      endAll((await deps.registry.listForUser(userId)).filter(matches(filter)), reason, actor),
    endForOrganization: async (organizationId, reason, actor) =>
      endAll(await deps.registry.listForOrganization(organizationId), reason, actor),
  };
}
