import { samlSettingsSchema } from '../../domain/organizations/connection-input.js';
import { certificateWarnings } from './certificate-warnings.js';
import type { IdpMetadataRefresh } from './metadata-refresh.js';
import type { SamlLogger } from './service-provider.js';
import { readStoredMetadata } from './stored-metadata.js';

/** A stored connection, as the repository lists it. */
export interface ScheduledConnection {
  id: string;
  type: string;
  settings: Record<string, unknown>;
  upstreamMetadata: Record<string, unknown> | null;
}

export interface MetadataRefreshSchedulerDeps {
  /** Every connection to consider; those that are not SAML or have no metadata URL are skipped. */
  listConnections: () => Promise<ScheduledConnection[]>;
  /** Writes a connection's new upstreamMetadata. */
  persist: (connectionId: string, upstreamMetadata: Record<string, unknown>) => Promise<void>;
  refresh: IdpMetadataRefresh;
  logger: SamlLogger;
  intervalHours?: number;
  /**
   * Whether this process runs this round: several instances share the connections, one fetch
   * per round is enough (a lease in the shared store). Absent: always.
   */
  takeLease?: (seconds: number) => Promise<boolean>;
  /** Certificates expiring within this many days are logged (default 30). */
  warnWithinDays?: number;
  /** Records each fetch in the connection's health (`error` when it failed); best effort. */
  recordRefresh?: (connectionId: string, error?: string) => Promise<void>;
  /** Runs after each round, e.g. the 30/14/7-day certificate warnings (connection-health); best effort. */
  afterRound?: () => Promise<void>;
  now?: () => Date;
}

export interface RefreshSummary {
  refreshed: number;
  failed: number;
}

/**
 * Refreshes the metadata of every SAML connection with an idp_metadata_url, now and every
 * `intervalHours` (default 6; 0: never, start() does nothing). A failed fetch keeps the stored metadata (and its certificates)
 * and is logged; expiring certificates are logged on every run. Nothing runs until start().
 */
export function createMetadataRefreshScheduler(deps: MetadataRefreshSchedulerDeps) {
  const intervalMs = (deps.intervalHours ?? 6) * 3_600_000;
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RefreshSummary> | undefined;

  const refreshOne = async (connection: ScheduledConnection, summary: RefreshSummary) => {
    const settings = samlSettingsSchema.safeParse(connection.settings);
    if (connection.type !== 'saml' || !settings.success || !settings.data.idp_metadata_url) return;
    try {
      const next = await deps.refresh({ ...connection, settings: settings.data });
      await deps.persist(connection.id, next);
      summary.refreshed += 1;
      warnExpiring(connection.id, next);
      await record(connection.id);
    } catch (error) {
      summary.failed += 1;
      deps.logger.warn(
        { connectionId: connection.id, detail: (error as Error).message },
        'SAML metadata refresh failed',
      );
      warnExpiring(connection.id, connection.upstreamMetadata);
      await record(connection.id, (error as Error).message);
    }
  };
  const record = (connectionId: string, error?: string) =>
    deps
      .recordRefresh?.(connectionId, error)
      .catch((failure: Error) =>
        deps.logger.warn({ connectionId, detail: failure.message }, 'SAML metadata refresh not recorded'),
      );
  const warnExpiring = (connectionId: string, metadata: Record<string, unknown> | null) => {
    const stored = readStoredMetadata(metadata);
    if (!stored) return;
    for (const warning of certificateWarnings(stored, now(), deps.warnWithinDays)) {
      deps.logger.warn({ connectionId, ...warning }, 'SAML IdP certificate expires soon');
    }
  };
  const runOnce = (): Promise<RefreshSummary> =>
    (running ??= (async () => {
      const summary = { refreshed: 0, failed: 0 };
      try {
        for (const connection of await deps.listConnections()) await refreshOne(connection, summary);
        await deps
          .afterRound?.()
          .catch((error: Error) =>
            deps.logger.warn({ detail: error.message }, 'SAML certificate expiry check failed'),
          );
      } finally {
        running = undefined;
      }
      return summary;
    })());

  return {
    /** Runs one refresh of all connections (concurrent calls share the run in progress). */
    runOnce,
    start(): void {
      if (timer || intervalMs === 0) return;
      // A little shorter than the interval, so the next round's lease is free when it comes.
      const leaseSeconds = Math.max(60, Math.floor(intervalMs / 1000) - 60);
      const tick = () =>
        void (deps.takeLease ? deps.takeLease(leaseSeconds) : Promise.resolve(true))
          .then((leader) => (leader ? runOnce() : undefined))
          .catch((error: Error) =>
            deps.logger.warn({ detail: error.message }, 'SAML metadata refresh failed'),
          );
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
