import Router from '@koa/router';
import type { Context } from 'koa';
import { DomainError, NotFoundError } from '../../../domain/errors.js';
import {
  guideSteps,
  PROVIDER_GUIDES,
  providerGuide,
  serviceProviderValues,
  type ProviderGuide,
} from '../../../domain/sso-setup/provider-guides.js';
import { auditActorOf } from '../../../domain/portal/portal-principal.js';
import { portalPrincipal, requirePortal } from '../portal-access.js';
import { formField, portalForm } from '../portal-csrf.js';
import { connectionFromForm, PortalFormError } from './sso-forms.js';
import { healthData } from './sso-page-data.js';
import { redirectWith, sendSsoPage, type SsoPages } from './sso-pages.js';

const ID_PATTERN = /^con_[A-Za-z0-9_-]{1,64}$/;

const guideOf = (ctx: Context): ProviderGuide => {
  const guide = providerGuide(ctx.params.guide ?? '');
  if (!guide) ctx.throw(404, 'This page does not exist.');
  return guide;
};

/** The guide's page for the reserved id; the form keeps what was typed (never the secret or XML). */
async function sendGuide(pages: SsoPages, ctx: Context, guide: ProviderGuide, id: string, error?: string) {
  const values = serviceProviderValues(pages.issuer, id);
  await sendSsoPage(
    pages,
    ctx,
    'sso-new',
    {
      title: `Set up ${guide.label}`,
      guide: { id: guide.id, label: guide.label, protocol: guide.protocol, example: guide.example },
      steps: guideSteps(guide, values),
      values,
      reservedId: id,
      form: {
        key: formField(ctx, 'key') ?? '',
        idp_metadata_url: formField(ctx, 'idp_metadata_url') ?? '',
        issuer: formField(ctx, 'issuer') ?? '',
        client_id: formField(ctx, 'client_id') ?? '',
      },
      error: error ?? null,
    },
    error ? 400 : 200,
  );
}

/** The guide's form: the connection, disabled, under the id reserved for this organization. */
async function createFromGuide(pages: SsoPages, ctx: Context) {
  const guide = guideOf(ctx);
  const principal = portalPrincipal(ctx);
  const id = formField(ctx, 'reserved_id') ?? '';
  if (!ID_PATTERN.test(id)) ctx.throw(404, 'This page does not exist.');
  try {
    const input = connectionFromForm(ctx, guide);
    const connection = await pages.create.create(
      auditActorOf(principal),
      principal.organizationId,
      id,
      input,
    );
    await redirectWith(pages, ctx, `/portal/sso/connections/${connection.id}`, {
      ok: true,
      text: `${connection.key} was created. It is not active yet: run “Test connection”, then activate it.`,
    });
  } catch (error) {
    if (error instanceof NotFoundError) {
      // The reservation lapsed: start the guide again with a new id (the IdP needs the new values).
      await redirectWith(pages, ctx, `/portal/sso/new/${guide.id}`, {
        ok: false,
        text: 'This setup page expired. The values below are new: give them to your IdP again.',
      });
      return;
    }
    if (!(error instanceof PortalFormError || error instanceof DomainError)) throw error;
    await sendGuide(pages, ctx, guide, id, error.message);
  }
}

/**
 * The SSO overview (the organization's connections, and the identity products to set a new one
 * up with) and the guide: instructions with this connection's own values, then the IdP's details.
 */
export function ssoSetupRoutes(pages: SsoPages): Router {
  const router = new Router({ prefix: '/portal/sso' });
  const gate = requirePortal('sso');

  router.get('/', gate, async (ctx) => {
    const principal = portalPrincipal(ctx);
    const health = await pages.admin.connectionHealth.ofOrganization(principal.organizationId);
    await sendSsoPage(pages, ctx, 'sso-connections', {
      title: 'Single sign-on',
      connections: health.map(healthData),
      guides: PROVIDER_GUIDES.map((guide) => ({
        id: guide.id,
        label: guide.label,
        protocol: guide.protocol.toUpperCase(),
      })),
    });
  });

  // The id is reserved once and kept in the URL, so the values shown stay the same on a reload.
  router.get('/new/:guide', gate, async (ctx) => {
    const guide = guideOf(ctx);
    const principal = portalPrincipal(ctx);
    const id = typeof ctx.query.id === 'string' ? ctx.query.id : '';
    if (!ID_PATTERN.test(id) || !(await pages.create.isReserved(principal.organizationId, id))) {
      const reserved = await pages.create.reserve(principal.organizationId);
      ctx.redirect(`/portal/sso/new/${guide.id}?id=${encodeURIComponent(reserved)}`);
      return;
    }
    await sendGuide(pages, ctx, guide, id);
  });

  router.post('/new/:guide', gate, portalForm('256kb'), (ctx) => createFromGuide(pages, ctx));

  return router;
}
