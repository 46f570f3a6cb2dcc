import { randomUUID } from 'node:crypto';
import { userTag, type ConfigurationCache } from './configuration-cache.js';
import type { NotificationHandlers, NotificationListener } from './notification-listener.js';

/** The channel of migration 20261201040000_configuration_notify's trigger. */
export const CONFIGURATION_CHANNEL = 'gh_configuration';
const PROBE = 'probe:';

export interface ConfigurationAnnouncementsOptions {
  cache: ConfigurationCache;
  listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener>;
  /** Announces `payload` on `channel` through the pool, the way a writer's commit does. */
  notify(channel: string, payload: string): Promise<void>;
  /** A failure of the listening connection, or announcements found not to arrive. */
  onError(error: Error): void;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
}

/**
 * Feeds the configuration cache PostgreSQL's announcements of changes, and lets it keep answers
 * only while announcements are seen to arrive: a LISTEN can succeed and still hear nothing (a
 * proxy that pools by transaction hands the session to others; a connection silently gone). So
 * the process announces a probe of its own through its pool when it starts listening and every
 * `probeEveryMs`; the cache keeps answers from the moment a probe comes back until one does not
 * within `probeTimeoutMs`. Other processes' probes change nothing.
 */
export async function followConfigurationAnnouncements(
  options: ConfigurationAnnouncementsOptions,
): Promise<NotificationListener> {
  const { cache, probeEveryMs = 30_000, probeTimeoutMs = 5_000 } = options;
  let connected = false;
  let awaited: string | undefined;
  let deadline: NodeJS.Timeout | undefined;

  // The cache's own state says whether announcements are heard: it keeps answers only then.
  const hear = (value: boolean) => {
    if (value !== cache.keeping()) cache.setListening(value);
  };
  const probe = () => {
    if (!connected) return;
    const payload = `${PROBE}${randomUUID()}`;
    awaited = payload;
    clearTimeout(deadline);
    deadline = setTimeout(() => {
      if (awaited !== payload) return;
      if (cache.keeping()) {
        options.onError(
          new Error(
            `announcements on ${CONFIGURATION_CHANNEL} stopped arriving (LISTEN through a transaction-pooling proxy?): ` +
              'the configuration is read from the database at every use until they arrive again',
          ),
        );
      }
      hear(false);
    }, probeTimeoutMs).unref();
    options.notify(CONFIGURATION_CHANNEL, payload).catch(options.onError);
  };

  const listener = await options.listen(CONFIGURATION_CHANNEL, {
    onNotification(payload) {
      // A change to one user's memberships: their tag is the payload.
      if (payload.startsWith(userTag(''))) {
        cache.forget(payload);
        return;
      }
      if (!payload.startsWith(PROBE)) {
        cache.forgetAll();
        return;
      }
      if (payload !== awaited) return;
      awaited = undefined;
      clearTimeout(deadline);
      hear(true);
    },
    onListening(listening) {
      connected = listening;
      if (listening) probe();
      else hear(false);
    },
    onError: options.onError,
  });
  const schedule = setInterval(probe, probeEveryMs).unref();
  return {
    async close() {
      clearInterval(schedule);
      clearTimeout(deadline);
      await listener.close();
    },
  };
}
