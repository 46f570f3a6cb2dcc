import type { Context } from 'koa';
import { NotFoundError } from '../../../domain/errors.js';
import { adminPrincipalOf } from '../../../domain/portal/portal-principal.js';
import type { ConnectionHealthRecord } from '../../../domain/ports/connection-health.js';
import { serviceProviderValues } from '../../../domain/sso-setup/provider-guides.js';
import { portalPrincipal } from '../portal-access.js';
import { claimRows, guideOf, healthData, previewData, when } from './sso-page-data.js';
import { sendSsoPage, type SsoPages } from './sso-pages.js';

const testOutcome = (health: ConnectionHealthRecord | undefined) => {
  if (!health) return null;
  const { lastFailureAt, lastTestedAt } = health;
  if (lastFailureAt && (!lastTestedAt || lastFailureAt > lastTestedAt)) return 'failed';
  return lastTestedAt ? 'passed' : null;
};

/** The portal organization's own connection named by the URL; 404 for any other. */
export async function portalConnection(pages: SsoPages, ctx: Context) {
  try {
    return await pages.setup.connectionOf(portalPrincipal(ctx).organizationId, ctx.params.id ?? '');
  } catch (error) {
    if (error instanceof NotFoundError) ctx.throw(404, 'This connection does not exist.');
    throw error;
  }
}

/** The connection's page; `justTested`: where a test lands, saying whether it passed. */
export async function sendConnectionPage(pages: SsoPages, ctx: Context, justTested: boolean) {
  const principal = portalPrincipal(ctx);
  const connection = await portalConnection(pages, ctx);
  const health = await pages.db.connectionHealth.find(connection.id);
  const view = await pages.admin.connectionHealth.get(
    adminPrincipalOf(principal),
    principal.organizationId,
    connection.key,
  );
  const received = health?.lastAttributes ?? null;
  const policy = await pages.admin.provisioning.get(adminPrincipalOf(principal), principal.organizationId);
  const preview = received
    ? await pages.setup.preview(
        principal.organizationId,
        connection.id,
        connection.attributeMap,
        policy.role_rules,
      )
    : undefined;
  await sendSsoPage(pages, ctx, 'sso-connection', {
    title: `Connection ${connection.key}`,
    connection: {
      id: connection.id,
      key: connection.key,
      type: connection.type,
      enabled: connection.enabled,
      label: guideOf(connection)?.label ?? connection.type.toUpperCase(),
      settings: connection.settings,
    },
    values: serviceProviderValues(pages.issuer, connection.id),
    health: healthData(view),
    // Where a test lands: it passed unless a failure was recorded after the last passed test.
    lastTest: justTested ? testOutcome(health) : null,
    received: received && {
      source: received.source,
      subject: received.subject,
      at: when(health?.lastAttributesAt),
      claims: claimRows(received),
    },
    preview: preview ? previewData(preview) : null,
  });
}
