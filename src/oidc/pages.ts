import type { KoaContextWithOIDC } from 'oidc-provider';
import type { RenderPage } from '../lib/render-page.js';

/** oidc-provider's own pages (errors, logout) rendered with our views so they look like the rest. */
export function pages(render: RenderPage) {
  return {
    async renderError(
      ctx: KoaContextWithOIDC,
      out: { error?: string; error_description?: string | undefined },
    ) {
      ctx.type = 'html';
      ctx.body = render('error', {
        title: 'Sign-in problem',
        error: String(out.error ?? 'server_error'),
        description: String(out.error_description ?? 'Something went wrong.'),
        // The `organization` parameter's branding, when http/middleware/page-brand.ts found one.
        brand: ctx.state.brand ?? (await ctx.state.brandOnError?.()),
      });
    },
    async logoutSource(ctx: KoaContextWithOIDC, form: string) {
      ctx.type = 'html';
      ctx.body = render('logout', { form, clientName: ctx.oidc.client?.clientName ?? null });
    },
    async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
      ctx.type = 'html';
      ctx.body = render('logged-out', { clientName: ctx.oidc.client?.clientName ?? null });
    },
  };
}
