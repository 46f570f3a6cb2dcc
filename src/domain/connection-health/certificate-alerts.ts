import type { ConnectionRecord } from '../ports/connections.js';
import type { Database } from '../ports/repositories.js';
import { daysLeft, dueWarning, type ConnectionCertificate } from './certificate-expiry.js';

export interface CertificateAlertsDeps {
  db: Database;
  /** The IdP certificates of a SAML connection (federation/saml reads them); [] when none is known yet. */
  certificatesOf(connection: ConnectionRecord): ConnectionCertificate[];
  now?: () => Date;
}

/** The event's data: what the receiver needs to find the connection and the certificate. */
const eventData = (
  connection: ConnectionRecord,
  certificate: ConnectionCertificate,
  threshold: number,
  now: Date,
) => ({
  connection_id: connection.id,
  connection_key: connection.key,
  fingerprint: certificate.fingerprint,
  subject: certificate.subject,
  not_after: certificate.notAfter.toISOString(),
  days_left: daysLeft(certificate.notAfter, now),
  threshold_days: threshold,
  state: certificate.state,
});

/**
 * Warns each organization 30, 14 and 7 days before an IdP certificate of one of its SAML
 * connections expires: a `connection.certificate_expiring` event (webhooks deliver it) per
 * threshold and certificate, once. What was sent is kept in the connection's health row, written
 * in the transaction that appends the event, under a lock per connection: two instances running
 * the check at once send each warning once.
 */
export function createCertificateAlerts(deps: CertificateAlertsDeps) {
  const now = deps.now ?? (() => new Date());

  const checkOne = (connection: ConnectionRecord) =>
    deps.db.withLock(`connection-certificates:${connection.id}`, async (repos) => {
      const at = now();
      const health = await repos.connectionHealth.find(connection.id);
      const sent = { ...(health?.certificateWarnings ?? {}) };
      let appended = 0;
      for (const certificate of deps.certificatesOf(connection)) {
        const due = dueWarning(daysLeft(certificate.notAfter, at), sent[certificate.fingerprint] ?? []);
        if (!due) continue;
        await repos.events.append({
          organizationId: connection.organizationId,
          type: 'connection.certificate_expiring',
          data: eventData(connection, certificate, due.threshold, at),
        });
        sent[certificate.fingerprint] = due.sent;
        appended += 1;
      }
      if (appended > 0) await repos.connectionHealth.upsert(connection.id, { certificateWarnings: sent });
      return appended;
    });

  return {
    /** Checks every SAML connection; returns how many warnings were sent. */
    async run(): Promise<number> {
      let sent = 0;
      for (const connection of await deps.db.connections.listByType('saml'))
        sent += await checkOne(connection);
      return sent;
    },
  };
}
export type CertificateAlerts = ReturnType<typeof createCertificateAlerts>;
