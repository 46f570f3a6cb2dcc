import type { Context, Middleware } from 'koa';
import type { Branding } from '../../domain/branding/branding-service.js';
import type { Brand } from '../../domain/branding/effective-branding.js';
import { pageOrganization, type PageSignals } from '../../domain/branding/page-organization.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { InteractionView } from '../../oidc/interactions.js';
import type { CustomDomainState } from './custom-domain.js';

/** Set by /branding/enter (branding-routes.ts) on the issuer's host; the next interaction takes it. */
export const ENTRY_COOKIE = 'gh_brand_entry';
/** As long as an interaction lives (oidc-provider's default Interaction TTL is one hour). */
const SIGNAL_SECONDS = 60 * 60;
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/|$)/;

const entryKey = (uid: string) => `brand:entry:${uid}`;
const routedKey = (uid: string) => `brand:routed:${uid}`;

export interface PageBrandDeps {
  branding: Pick<Branding, 'brandOf' | 'organizationForEmail'>;
  loadInteraction(ctx: Context): Promise<InteractionView>;
  store: EphemeralStore;
  /** The organization of a verified custom domain (by id), when custom domains are on. */
  customDomainOrganization(id: string): Promise<string | undefined>;
  /** The organization a sign-in waiting for its second factor settled on. */
  chosenOrganization(uid: string): Promise<string | undefined>;
}

/**
 * Puts `ctx.state.brand` (domain/branding/effective-branding.ts `Brand`) on the requests whose
 * pages know their organization; sendPage and the error pages pass it to views/layout.eta.
 * Interaction pages read the signals of domain/branding/page-organization.ts; a request through
 * a verified custom domain is that domain's organization; an authorization request's error page
 * is the `organization` parameter's (looked up only if an error page is rendered). Branding is
 * decoration: a failure to work it out is logged and the page renders unbranded.
 */
export function createPageBrand(deps: PageBrandDeps) {
  const brandOf = async (signals: PageSignals): Promise<Brand | undefined> => {
    const ref = pageOrganization(signals);
    return ref ? deps.branding.brandOf(ref) : undefined;
  };

  /** A custom domain's entry cookie becomes this interaction's first signal, once. */
  const takeEntry = async (ctx: Context, uid: string, stored: string | undefined) => {
    const entry = ctx.cookies.get(ENTRY_COOKIE);
    if (!entry) return stored;
    ctx.cookies.set(ENTRY_COOKIE, null, { path: '/interaction' });
    const organizationId = await deps.customDomainOrganization(entry);
    if (organizationId) await deps.store.put(entryKey(uid), organizationId, SIGNAL_SECONDS);
    return organizationId ?? stored;
  };

  const interactionSignals = async (ctx: Context, uid: string): Promise<PageSignals | undefined> => {
    // The signals are keyed by the path's uid: read beside the interaction, in the same round trip.
    const stored = Promise.all([
      deps.store.get(entryKey(uid)),
      deps.store.get(routedKey(uid)),
      deps.chosenOrganization(uid),
    ]);
    stored.catch(() => undefined);
    const view = await deps.loadInteraction(ctx).catch(() => undefined);
    // No interaction cookie, or one for another interaction: the route answers that itself.
    if (!view || view.uid !== uid) return undefined;
    const [entry, routed, chosen] = await stored;
    const customDomain = await takeEntry(ctx, uid, entry);
    return {
      customDomain,
      requested: view.requestedOrganization,
      routed,
      chosen,
      client: view.clientOrganizationId,
    };
  };

  const decorate = async (ctx: Context) => {
    const customDomain = ctx.state.customDomain as CustomDomainState | undefined;
    if (customDomain) {
      ctx.state.brand = await deps.branding.brandOf(customDomain.organizationId);
      return;
    }
    const uid = INTERACTION_PATH.exec(ctx.path)?.[1];
    // Pages answer GETs and form posts; the JSON calls of webauthn.js render none.
    if (uid && (ctx.method === 'GET' || ctx.is('urlencoded'))) {
      const signals = await interactionSignals(ctx, uid);
      if (signals) {
        ctx.state.brandSignals = signals;
        ctx.state.brand = await brandOf(signals);
      }
      return;
    }
    const requested = ctx.path === '/auth' ? ctx.query.organization : undefined;
    if (typeof requested === 'string' && requested) {
      ctx.state.brandOnError = () => deps.branding.brandOf(requested).catch(() => undefined);
    }
  };

  const middleware: Middleware = async (ctx, next) => {
    try {
      await decorate(ctx);
    } catch (error) {
      ctx.state.log?.warn({ err: error }, 'page branding not worked out');
    }
    await next();
  };

  return {
    middleware,
    /**
     * After the email page: the organization whose verified domain covers the email is the
     * routing result the rest of the interaction shows (unless a stronger signal already does).
     */
    async routed(ctx: Context, uid: string, email: string): Promise<void> {
      const organizationId = await deps.branding.organizationForEmail(email);
      if (!organizationId) return;
      await deps.store.put(routedKey(uid), organizationId, SIGNAL_SECONDS);
      const signals = { ...(ctx.state.brandSignals as PageSignals | undefined), routed: organizationId };
      ctx.state.brandSignals = signals;
      ctx.state.brand = await brandOf(signals);
    },
  };
}
export type PageBrand = ReturnType<typeof createPageBrand>;
