import Router from '@koa/router';
import type { Context } from 'koa';
import { DomainError, NotFoundError } from '../../domain/errors.js';
import type { DomainsAdmin } from '../../domain/organizations/domains-admin.js';
import { challengeName } from '../../domain/organizations/domain-names.js';
import { adminPrincipalOf } from '../../domain/portal/portal-principal.js';
import type { DomainRecord } from '../../domain/ports/tenancy.js';
import type { RenderPage } from '../../lib/render-page.js';
import { portalPrincipal, requirePortal } from './portal-access.js';
import { formField, portalForm } from './portal-csrf.js';
import type { PortalFlash } from './portal-flash.js';
import { sendPortalPage } from './portal-page.js';

export interface PortalDomainsDeps {
  render: RenderPage;
  domains: Pick<DomainsAdmin, 'list' | 'add' | 'verify'>;
  flash: PortalFlash;
}

/** What the page says after a POST: plain words, and whether it went well. */
interface Notice {
  ok: boolean;
  text: string;
  domain?: string;
}

const when = (date: Date | null) =>
  date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;

const row = (claim: DomainRecord) => ({
  domain: claim.domain,
  verified: claim.verifiedAt !== null,
  verifiedAt: when(claim.verifiedAt),
  lastCheckedAt: when(claim.lastCheckedAt),
  recordName: challengeName(claim.domain),
  recordValue: claim.verificationToken,
});

/** A failed check in words an IT administrator acts on (domain-verification.ts gives the detail). */
function checkFailure(domain: string, error: DomainError): string {
  const name = challengeName(domain);
  if (error.message.startsWith('DNS lookup'))
    return `We could not look up ${name} just now (the DNS query failed). Try again in a few minutes.`;
  return `${domain} is not verified yet: we found no TXT record at ${name} with the value below. DNS changes can take from a few minutes to a few hours to appear; check the record and try again.`;
}

/**
 * Domain claims of the portal's organization: add one, see the TXT record to publish, and check
 * it now. Writes go through the admin domain service (validation, audit) as the principal.
 */
export function portalDomainRoutes(deps: PortalDomainsDeps): Router {
  const router = new Router({ prefix: '/portal/domains' });
  const gate = requirePortal('domains');
  const done = async (ctx: Context, notice: Notice) => {
    await deps.flash.set(ctx, 'domains', notice);
    ctx.status = 303;
    ctx.redirect('/portal/domains');
  };

  router.get('/', gate, async (ctx) => {
    const principal = portalPrincipal(ctx);
    const claims = await deps.domains.list(adminPrincipalOf(principal), principal.organizationId);
    sendPortalPage(ctx, deps.render, 'domains', {
      title: 'Domains',
      current: 'domains',
      domains: claims.map(row),
      notice: await deps.flash.take<Notice>(ctx, 'domains'),
    });
  });

  router.post('/', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const domain = (formField(ctx, 'domain') ?? '').trim();
    try {
      const claim = await deps.domains.add(adminPrincipalOf(principal), principal.organizationId, {
        domain,
        verified: false,
      });
      await done(ctx, {
        ok: true,
        domain: claim.domain,
        text: `${claim.domain} was added. Publish the TXT record shown for it, then choose "Check again".`,
      });
    } catch (error) {
      if (error instanceof NotFoundError) ctx.throw(404, 'This page does not exist.');
      if (!(error instanceof DomainError)) throw error;
      await done(ctx, {
        ok: false,
        text: `${domain || 'That domain'} could not be added: ${error.message}.`,
      });
    }
  });

  router.post('/check', gate, portalForm(), async (ctx) => {
    const principal = portalPrincipal(ctx);
    const domain = formField(ctx, 'domain') ?? '';
    try {
      await deps.domains.verify(adminPrincipalOf(principal), principal.organizationId, domain, 'dns');
      await done(ctx, {
        ok: true,
        domain,
        text: `${domain} is verified. Sign-ins from it can now be routed.`,
      });
    } catch (error) {
      // Another organization's domain (or none) is simply not found: 404, as anywhere else.
      if (error instanceof NotFoundError) ctx.throw(404, 'This domain does not exist.');
      if (!(error instanceof DomainError)) throw error;
      await done(ctx, { ok: false, domain, text: checkFailure(domain, error) });
    }
  });

  return router;
}
