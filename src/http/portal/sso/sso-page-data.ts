import type { ConnectionHealthView } from '../../../domain/connection-health/health-view.js';
import type { ReceivedAttributes } from '../../../domain/ports/connection-health.js';
import type { ConnectionRecord } from '../../../domain/ports/connections.js';
import type { MappingPreview } from '../../../domain/sso-setup/mapping-preview.js';
import { providerGuide, PROVIDER_GUIDES } from '../../../domain/sso-setup/provider-guides.js';

/** Instants as administrators read them. */
export const when = (date: Date | null | undefined) =>
  date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;

const text = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : String(value));

/** The claims a test or sign-in received, one row per upstream name, in name order. */
export const claimRows = (received: ReceivedAttributes) =>
  Object.entries(received.claims)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value: text(value) }));

/** The preview as rows the page lists, and its problems. */
export const previewData = (preview: MappingPreview) => ({
  email: preview.email ?? null,
  emailProblem: preview.emailProblem ?? null,
  name: preview.name ?? null,
  profile: Object.entries(preview.profile).map(([name, value]) => ({ name, value })),
  custom: Object.entries(preview.custom).map(([name, value]) => ({ name, value: text(value) })),
  roles: [...new Set([...preview.defaultRoles, ...preview.ruleRoles])],
  ruleRoles: preview.ruleRoles,
  ruleProblems: preview.ruleProblems.map(
    (problem) =>
      `Rule ${problem.index + 1}, ${problem.field === 'condition' ? 'condition' : 'role'}: ${problem.message}`,
  ),
  warnings: preview.warnings,
});

/** The guide a connection was made with (by preset and protocol), for its labels. */
export function guideOf(connection: Pick<ConnectionRecord, 'preset' | 'type'>) {
  return (
    PROVIDER_GUIDES.find(
      (guide) => guide.preset === connection.preset && guide.protocol === connection.type,
    ) ?? providerGuide(connection.type)
  );
}

/** A connection's health as the pages show it. */
export const healthData = (view: ConnectionHealthView) => ({
  id: view.connectionId,
  key: view.key,
  type: view.type.toUpperCase(),
  enabled: view.enabled,
  certificates: view.certificates.map((certificate) => ({
    fingerprint: certificate.fingerprint.match(/.{2}/g)?.join(':').toUpperCase() ?? certificate.fingerprint,
    subject: certificate.subject,
    notAfter: when(certificate.notAfter),
    daysLeft: certificate.daysLeft,
    expired: certificate.expired,
    expiringSoon: certificate.expiringSoon,
    previous: certificate.state === 'previous',
  })),
  metadata: view.metadata && {
    url: view.metadata.url,
    refreshedAt: when(view.metadata.refreshedAt),
    error: view.metadata.error,
  },
  lastSuccessAt: when(view.lastSuccessAt),
  lastFailureAt: when(view.lastFailureAt),
  lastFailureReason: view.lastFailureReason,
  lastTestedAt: when(view.lastTestedAt),
  testedCurrentSettings: view.testedCurrentSettings,
});
