import type { Logger } from 'pino';
import type { Database } from '../domain/ports/repositories.js';
import type { LogoutQueue, SessionRegistry } from '../domain/ports/sessions.js';
import { createLogoutDelivery } from '../domain/sessions/logout-delivery.js';
import { createSessionActivity } from '../domain/sessions/session-activity.js';
import { createSessionAdmission } from '../domain/sessions/session-admission.js';
import { createSessionPolicies } from '../domain/sessions/session-policy.js';
import { createSessions } from '../domain/sessions/sessions-service.js';
import type { AdapterStores } from './adapter.js';
import { createSessionProtocol } from './session-ending.js';
import { createLogoutSender } from './session-logout-sender.js';
import { modelStores } from './session-models.js';
import type { OidcProvider } from './provider-factory.js';

export interface SessionServiceDeps {
  registry: SessionRegistry;
  logouts: LogoutQueue;
  /** oidc-provider's stores (the adapter's), where sessions, grants and tokens live. */
  stores: Pick<AdapterStores, 'durable' | 'shortLived'>;
  /** Signs logout tokens; only the process that delivers them needs one. */
  provider: () => OidcProvider;
  db: Pick<Database, 'audit' | 'organizations'>;
  now: () => Date;
  logger: Logger;
  /** How often the logout queue is looked at when nothing is due. */
  pollMs: number;
}

/**
 * Sessions, their policy and their logouts over oidc-provider's stores, without loading
 * oidc-provider itself (the server installs the provider's side: session-guard.ts). The server
 * starts the logout delivery; the `gatehouse sessions` command only queues logouts, which a
 * server sends.
 */
export function createSessionServices(deps: SessionServiceDeps) {
  const log = deps.logger.child({ component: 'sessions' });
  const { registry, now } = deps;
  const models = modelStores(deps.stores);
  const logoutDelivery = createLogoutDelivery({
    queue: deps.logouts,
    send: createLogoutSender(deps.provider),
    now,
    log,
    pollMs: deps.pollMs,
  });
  const protocol = createSessionProtocol({ models, notify: logoutDelivery.notify });
  const sessions = createSessions({ registry, protocol, audit: deps.db.audit, now, log });
  const admission = createSessionAdmission({
    registry,
    sessions,
    policies: createSessionPolicies(deps.db),
    audit: deps.db.audit,
    now,
    log,
  });
  const activity = createSessionActivity({ registry, sessions, now });
  return { sessions, admission, activity, logoutDelivery, models, log };
}
export type SessionServices = ReturnType<typeof createSessionServices>;
