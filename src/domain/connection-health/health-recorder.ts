import type { ConnectionRecord } from '../ports/connections.js';
import type { ReceivedAttributes } from '../ports/connection-health.js';
import type { Database } from '../ports/repositories.js';
import type { UpstreamIdentity } from '../provisioning/upstream-identity.js';
import { failureReason } from './failure-reasons.js';
import { settingsDigest } from './settings-digest.js';

const received = (identity: UpstreamIdentity, source: ReceivedAttributes['source']): ReceivedAttributes => ({
  source,
  protocol: identity.protocol,
  subject: identity.subject,
  claims: identity.claims,
  email: identity.email,
});

/**
 * One small upsert per event of a connection's life: a sign-in through it, a refused one, a
 * portal test, a metadata refresh. Only the verified identity's attributes are kept (what the
 * mapping preview reads), never a token, an assertion or the IdP's raw error text.
 */
export function createHealthRecorder(
  db: Pick<Database, 'connectionHealth' | 'connections'>,
  now: () => Date = () => new Date(),
) {
  return {
    async signInSucceeded(identity: UpstreamIdentity): Promise<void> {
      const at = now();
      await db.connectionHealth.upsert(identity.connectionId, {
        lastSuccessAt: at,
        lastAttributes: received(identity, 'sign_in'),
        lastAttributesAt: at,
      });
    },

    /** `code` as the sign-in path logs it; `detail` only picks among plain reasons. */
    async signInFailed(connectionId: string, code: string, detail?: string): Promise<void> {
      // The id comes from the URL the answer was posted to: no row for a connection that does not exist.
      if (!(await db.connections.findById(connectionId))) return;
      await db.connectionHealth.upsert(connectionId, {
        lastFailureAt: now(),
        lastFailureReason: failureReason(code, detail),
      });
    },

    /** A portal test passed every protocol check: what it received, and the settings it ran with. */
    async testSucceeded(identity: UpstreamIdentity, connection: ConnectionRecord): Promise<void> {
      const at = now();
      await db.connectionHealth.upsert(identity.connectionId, {
        lastTestedAt: at,
        lastAttributes: { ...received(identity, 'test'), settingsDigest: settingsDigest(connection) },
        lastAttributesAt: at,
      });
    },

    /** `error`: why the fetch failed (the stored metadata stays in use); undefined on success. */
    async metadataRefreshed(connectionId: string, error?: string): Promise<void> {
      await db.connectionHealth.upsert(
        connectionId,
        error === undefined
          ? { metadataRefreshedAt: now(), metadataRefreshError: null }
          : { metadataRefreshError: error },
      );
    },
  };
}
export type HealthRecorder = ReturnType<typeof createHealthRecorder>;
