import Router from '@koa/router';
import { DomainError } from '../../../domain/errors.js';
import { adminPrincipalOf } from '../../../domain/portal/portal-principal.js';
import type { ConnectionRecord } from '../../../domain/ports/connections.js';
import { SamlRejection } from '../../../federation/saml/saml-rejection.js';
import { UpstreamSignInError } from '../../sso/upstream-sign-in.js';
import { portalPrincipal, requirePortal } from '../portal-access.js';
import { formField, portalForm } from '../portal-csrf.js';
import { portalConnection, sendConnectionPage } from './sso-connection-page.js';
import { PortalFormError, settingsChangesFromForm } from './sso-forms.js';
import { redirectWith, type SsoPages } from './sso-pages.js';

/**
 * One connection: its values for the IdP, its IdP settings, "Test connection" (a real sign-in at
 * the IdP whose answer comes back here, see routes/sso.ts), what the last test received and what
 * the mapping makes of it, and activation once a test passed with the current settings.
 */
export function ssoConnectionRoutes(pages: SsoPages): Router {
  const router = new Router({ prefix: '/portal/sso/connections' });
  const gate = requirePortal('sso');
  const pageOf = (connection: ConnectionRecord) => `/portal/sso/connections/${connection.id}`;

  router.get('/:id', gate, (ctx) => sendConnectionPage(pages, ctx, false));
  // Where a test sign-in lands (routes/sso.ts portalTestResultPath).
  router.get('/:id/test', gate, (ctx) => sendConnectionPage(pages, ctx, true));

  router.post('/:id/test', gate, portalForm(), async (ctx) => {
    const connection = await portalConnection(pages, ctx);
    try {
      ctx.status = 303;
      ctx.redirect(await pages.upstream.startTest(connection.organizationId, connection.id));
    } catch (error) {
      const code =
        error instanceof UpstreamSignInError
          ? error.code
          : error instanceof SamlRejection
            ? `saml_${error.reason}`
            : undefined;
      if (code === undefined) throw error;
      await pages.health.signInFailed(
        connection.id,
        code,
        error instanceof Error ? error.message : undefined,
      );
      const reason = (await pages.db.connectionHealth.find(connection.id))?.lastFailureReason;
      await redirectWith(pages, ctx, pageOf(connection), {
        ok: false,
        text: `The test could not start: ${reason ?? 'the IdP is not reachable.'}`,
      });
    }
  });

  router.post('/:id/settings', gate, portalForm('256kb'), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const connection = await portalConnection(pages, ctx);
    try {
      const changes = settingsChangesFromForm(ctx, connection.type);
      await pages.admin.connections.update(
        adminPrincipalOf(principal),
        principal.organizationId,
        connection.key,
        changes,
      );
      await redirectWith(pages, ctx, pageOf(connection), {
        ok: true,
        text: 'The settings were saved. Run “Test connection” again before activating.',
      });
    } catch (error) {
      if (!(error instanceof PortalFormError || error instanceof DomainError)) throw error;
      await redirectWith(pages, ctx, pageOf(connection), { ok: false, text: `Not saved: ${error.message}.` });
    }
  });

  router.post('/:id/activate', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const connection = await portalConnection(pages, ctx);
    try {
      const { routedDomains } = await pages.setup.activate(
        adminPrincipalOf(principal),
        principal.organizationId,
        connection.id,
        {
          routeDomains: formField(ctx, 'route_domains') === 'on',
        },
      );
      const routed = routedDomains.length ? ` Sign-ins from ${routedDomains.join(', ')} now go to it.` : '';
      await redirectWith(pages, ctx, pageOf(connection), {
        ok: true,
        text: `${connection.key} is active.${routed}`,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await redirectWith(pages, ctx, pageOf(connection), {
        ok: false,
        text: `Not activated: ${error.message}.`,
      });
    }
  });

  return router;
}
