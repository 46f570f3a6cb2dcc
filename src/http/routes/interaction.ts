import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { LocalAccounts } from '../../domain/accounts/local-accounts.js';
import type { SelectOrganization } from '../../domain/organizations/organization-selection.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { Interactions } from '../../oidc/interactions.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { describeScope } from './scope-descriptions.js';

export interface InteractionRouteDeps {
  interactions: Interactions;
  accounts: LocalAccounts;
  store: EphemeralStore;
  render: RenderPage;
  loginAttemptsPerMinute: number;
  selectOrganization: SelectOrganization;
  /** Why the email's organization refuses local passwords, if it does (domain policy). */
  localPasswordRefusal(email: string): Promise<string | undefined>;
}

const TOO_MANY = 'Too many sign-in attempts for this account. Wait a minute, then try again.';
const WRONG_CREDENTIALS = 'That email and password do not match. Check both and try again.';

/**
 * The sign-in pages oidc-provider sends the browser to: email first, then password, then the
 * organization (decided without a page when there is nothing to choose), then consent for
 * third-party apps. The same message answers an unknown email and a wrong password so the pages
 * cannot be used to find out who has an account.
 */
export function interactionRoutes(deps: InteractionRouteDeps): Router {
  const { interactions, accounts, render } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const page = (ctx: Context, view: string, data: Record<string, unknown>, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = render(view, data);
  };
  const field = (ctx: Context, name: string) => {
    const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : '';
  };
  const loginKey = (ctx: Context) => `${ctx.ip}:${normalizeEmail(field(ctx, 'email'))}`;

  /** Finishes the organization step, with the picker page when the user has several. */
  const decideOrganization = async (
    ctx: Context,
    uid: string,
    user: UserRecord,
    requested: string | null,
  ) => {
    const selection = await deps.selectOrganization(user, requested ?? undefined);
    if (selection.kind === 'pick') {
      page(ctx, 'organization-picker', { uid, choices: selection.choices });
      return;
    }
    if (selection.kind === 'denied') await interactions.abort(ctx.req, ctx.res, selection.description);
    else await interactions.finishOrganization(ctx.req, ctx.res, { id: selection.organizationId });
    ctx.respond = false;
  };
  const signedInUser = async (accountId: string | null) => {
    const user = accountId ? await accounts.findById(accountId) : undefined;
    if (!user)
      throw Object.assign(new Error('the signed-in user no longer exists'), { status: 400, expose: true });
    return user;
  };

  router.get('/', async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    if (view.prompt === 'login') {
      page(ctx, 'login-email', { uid: view.uid, clientName: view.clientName, email: view.loginHint });
    } else if (view.prompt === 'organization') {
      await decideOrganization(ctx, view.uid, await signedInUser(view.accountId), view.requestedOrganization);
    } else if (view.prompt === 'consent' && view.firstParty) {
      await interactions.finishConsent(ctx.req, ctx.res);
      ctx.respond = false;
    } else if (view.prompt === 'consent') {
      page(ctx, 'consent', { ...view, scopes: view.missingScopes, describe: describeScope });
    } else {
      await interactions.abort(ctx.req, ctx.res, `unsupported prompt ${view.prompt}`);
      ctx.respond = false;
    }
  });

  router.post('/identify', form, async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    const email = field(ctx, 'email').trim();
    if (!looksLikeEmail(email)) {
      page(
        ctx,
        'login-email',
        { uid: view.uid, clientName: view.clientName, email, error: 'Enter a valid email address.' },
        400,
      );
      return;
    }
    const refusal = await deps.localPasswordRefusal(normalizeEmail(email));
    if (refusal) {
      page(ctx, 'login-email', { uid: view.uid, clientName: view.clientName, email, error: refusal }, 403);
      return;
    }
    page(ctx, 'login-password', { uid: view.uid, email });
  });

  router.post(
    '/login',
    form,
    rateLimit(deps.store, {
      name: 'login',
      perMinute: deps.loginAttemptsPerMinute,
      key: loginKey,
      reject: (ctx) => page(ctx, 'error', { title: 'Too many attempts', description: TOO_MANY }, 429),
    }),
    async (ctx) => {
      const view = await interactions.load(ctx.req, ctx.res);
      const email = field(ctx, 'email');
      const refusal = await deps.localPasswordRefusal(normalizeEmail(email));
      if (refusal) {
        page(ctx, 'login-email', { uid: view.uid, clientName: view.clientName, email, error: refusal }, 403);
        return;
      }
      const user = await accounts.authenticate(email, field(ctx, 'password'));
      if (!user) {
        ctx.state.log?.info({ event: 'login.failed' }, 'local login failed');
        page(ctx, 'login-password', { uid: view.uid, email, error: WRONG_CREDENTIALS }, 401);
        return;
      }
      ctx.state.log?.info({ event: 'login.succeeded', userId: user.id }, 'local login succeeded');
      // Most sign-ins settle the organization here, saving the organization prompt's round trip.
      const selection = await deps.selectOrganization(user, view.requestedOrganization ?? undefined);
      if (selection.kind === 'denied') {
        await interactions.abort(ctx.req, ctx.res, selection.description);
      } else {
        const organization = selection.kind === 'chosen' ? { id: selection.organizationId } : undefined;
        await interactions.finishLogin(ctx.req, ctx.res, user.id, organization);
      }
      ctx.respond = false;
    },
  );

  router.post('/organization', form, async (ctx) => {
    const view = await interactions.load(ctx.req, ctx.res);
    if (view.prompt !== 'organization') {
      throw Object.assign(new Error('this sign-in is not choosing an organization'), {
        status: 400,
        expose: true,
      });
    }
    // The choice is checked like a requested organization: a forged id gets the same refusal.
    const chosen = field(ctx, 'organization');
    await decideOrganization(
      ctx,
      view.uid,
      await signedInUser(view.accountId),
      chosen || view.requestedOrganization,
    );
  });

  router.post('/confirm', form, async (ctx) => {
    await interactions.finishConsent(ctx.req, ctx.res);
    ctx.respond = false;
  });

  router.get('/abort', async (ctx) => {
    await interactions.abort(ctx.req, ctx.res, 'the user cancelled the sign-in');
    ctx.respond = false;
  });

  return router;
}
