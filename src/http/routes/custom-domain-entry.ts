import type { Context, Middleware } from 'koa';
import type { RenderPage } from '../../lib/render-page.js';
import type { CustomDomainState } from '../middleware/custom-domain.js';
import { sendPage } from '../views.js';

export interface CustomDomainEntryDeps {
  issuer: string;
  render: RenderPage;
  /** The organization's name and its applications that start sign-ins themselves (initiate_login_uri). */
  landing(organizationId: string): Promise<{ name: string; applications: { id: string; name: string }[] }>;
}

/**
 * A verified custom domain (login.customer.example) is the organization's branded entry point,
 * not a second issuer: tokens carry the deployment's one `iss`, which is what applications
 * discovered. `GET /` is a branded landing page listing the organization's applications; an
 * authorization request sent to the custom domain goes on to the issuer's /auth unchanged (its
 * cookies live on the issuer's host), through /branding/enter, which keeps the branding. Every
 * other path is served as on the issuer's host.
 */
export function customDomainEntry(deps: CustomDomainEntryDeps): Middleware {
  const enter = (domain: CustomDomainState) =>
    `${deps.issuer}/branding/enter/${encodeURIComponent(domain.id)}`;

  const landing = async (ctx: Context, domain: CustomDomainState) => {
    const { name, applications } = await deps.landing(domain.organizationId);
    sendPage(ctx, deps.render, 'custom-domain-home', {
      name,
      applications: applications.map((application) => ({
        name: application.name,
        url: `${enter(domain)}/apps/${encodeURIComponent(application.id)}`,
      })),
      accountUrl: `${deps.issuer}/account/security`,
    });
  };

  return async (ctx, next) => {
    const domain = ctx.state.customDomain as CustomDomainState | undefined;
    if (!domain || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    if (ctx.path === '/') return landing(ctx, domain);
    if (ctx.path === '/auth') {
      ctx.redirect(`${enter(domain)}/auth${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    return next();
  };
}
