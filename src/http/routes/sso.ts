import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { SignInFailed } from '../../domain/audit/sign-in-audit.js';
import type { HealthRecorder } from '../../domain/connection-health/health-recorder.js';
import type { FederationProtocol, Metrics } from '../../domain/ports/metrics.js';
import type { Database } from '../../domain/ports/repositories.js';
import type { SamlServiceProvider } from '../../federation/saml/service-provider.js';
import { samlConnectionFrom } from '../../federation/saml/saml-connection.js';
import type { Envelope } from '../../lib/crypto/envelope.js';
import type { RenderPage } from '../../lib/render-page.js';
import { federationOutcomeOf } from '../metrics/federation-outcome.js';
import { IDP_INITIATED_COOKIE } from '../sso/idp-initiated.js';
import { UpstreamSignInError, type UpstreamAnswer, type UpstreamSignIn } from '../sso/upstream-sign-in.js';
import { sendPage } from '../views.js';

export interface SsoRouteDeps {
  issuer: string;
  db: Database;
  envelope: Envelope;
  upstream: UpstreamSignIn;
  saml: SamlServiceProvider;
  render: RenderPage;
  /** Records a rejected answer in the audit log (domain/audit/sign-in-audit.ts). */
  recordFailure?(event: SignInFailed): Promise<void>;
  /** Counts each IdP answer by protocol and outcome. */
  metrics?: Pick<Metrics, 'federation'>;
  /** The connection's health: refused answers, and what a portal test received (domain/connection-health). */
  health?: Pick<HealthRecorder, 'signInFailed' | 'testSucceeded'>;
}

/** Where a portal test lands: the connection's page, showing what the IdP sent. */
export const portalTestResultPath = (connectionId: string) =>
  `/portal/sso/connections/${encodeURIComponent(connectionId)}/test`;

const TICKET_SECONDS = 120;

/**
 * Where partner IdPs send the browser back: the OIDC redirect URI and the SAML ACS, one per
 * connection (RFC 9700 §4.4.2 mix-up defence; SAML audience and recipient per connection), plus
 * each SAML connection's SP metadata. Answers are verified here and handed to the interaction
 * as single-use tickets; a failure shows a plain page, is logged with its reason, and leaves no
 * session.
 */
export function ssoRoutes(deps: SsoRouteDeps): Router {
  const router = new Router({ prefix: '/sso' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '64kb' });

  const fail = async (ctx: Context, error: UpstreamSignInError) => {
    // Best effort: the failure page must not become a server error.
    await deps
      .recordFailure?.({
        reason: 'upstream_rejected',
        detail: error.code,
        connectionId: ctx.params.connectionId,
        ip: ctx.ip,
      })
      .catch((auditError: unknown) => {
        ctx.state.log?.error({ event: 'audit.failed', err: auditError }, 'rejected sign-in not recorded');
      });
    // A late or repeated answer says nothing about the connection; anything else is its last failure.
    if (error.code !== 'unknown_state') {
      await deps.health
        ?.signInFailed(ctx.params.connectionId!, error.code, error.message)
        .catch((healthError: unknown) => {
          ctx.state.log?.warn({ err: healthError }, 'connection health not recorded');
        });
    }
    ctx.state.log?.warn(
      {
        event: 'login.sso.rejected',
        code: error.code,
        detail: error.message,
        connectionId: ctx.params.connectionId,
      },
      'upstream sign-in rejected',
    );
    if (error.test) {
      // A failed portal test: its page shows the reason just recorded in the connection's health.
      ctx.status = 303;
      ctx.redirect(portalTestResultPath(ctx.params.connectionId!));
      return;
    }
    const description = error.publicMessage;
    const data = { title: 'Sign-in failed', description, error: error.code, requestId: ctx.state.requestId };
    sendPage(ctx, deps.render, 'error', data, error.code === 'unknown_state' ? 400 : 403);
  };

  const landIn = async (ctx: Context, answer: UpstreamAnswer) => {
    ctx.status = 303;
    if (answer.kind === 'test') {
      // Nobody signs in: the administrator's portal page shows what arrived.
      await deps.health?.testSucceeded(answer.identity, answer.connection);
      ctx.redirect(portalTestResultPath(answer.connection.id));
      return;
    }
    if (answer.kind === 'interaction') {
      const uid = encodeURIComponent(answer.uid);
      ctx.redirect(`/interaction/${uid}/sso/complete?ticket=${encodeURIComponent(answer.ticket)}`);
      return;
    }
    // OIDC Core §4: the application starts the sign-in itself (its own state, nonce and PKCE);
    // its interaction finds the verified answer through this cookie, for this client only.
    const client = await deps.db.clients.find(answer.clientId);
    const target = client?.metadata.initiate_login_uri;
    if (typeof target !== 'string') {
      throw new UpstreamSignInError(
        'idp_initiated_no_target',
        'This sign-in has no application to open. Start from the application instead.',
        `client ${answer.clientId} has no initiate_login_uri`,
      );
    }
    ctx.cookies.set(IDP_INITIATED_COOKIE, answer.ticket, {
      path: '/interaction',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.issuer.startsWith('https://'),
      maxAge: TICKET_SECONDS * 1000,
      overwrite: true,
    });
    const url = new URL(target);
    url.searchParams.set('iss', deps.issuer);
    if (answer.email) url.searchParams.set('login_hint', answer.email);
    ctx.redirect(url.href);
  };

  const answering =
    (protocol: FederationProtocol, work: (ctx: Context) => Promise<UpstreamAnswer>) =>
    async (ctx: Context) => {
      try {
        await landIn(ctx, await work(ctx));
        deps.metrics?.federation(protocol, 'success');
      } catch (error) {
        if (!(error instanceof UpstreamSignInError)) throw error;
        deps.metrics?.federation(protocol, federationOutcomeOf(error.code));
        await fail(ctx, error);
      }
    };

  router.get(
    '/oidc/:connectionId/callback',
    answering('oidc', (ctx) =>
      // The redirect_uri sent to the token endpoint is this URL without its query: build it from
      // the issuer, not from the Host header, so it matches what the IdP has registered.
      deps.upstream.oidcCallback(ctx.params.connectionId!, new URL(ctx.originalUrl, deps.issuer)),
    ),
  );

  router.post(
    '/saml/:connectionId/acs',
    form,
    answering('saml', (ctx) =>
      deps.upstream.samlAcs(ctx.params.connectionId!, (ctx.request.body ?? {}) as Record<string, unknown>),
    ),
  );

  router.get('/saml/:connectionId/metadata', async (ctx) => {
    const connection = await deps.db.connections.findById(ctx.params.connectionId!);
    if (connection?.type !== 'saml') {
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = 'no such SAML connection';
      return;
    }
    ctx.type = 'application/samlmetadata+xml';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = deps.saml.metadata(samlConnectionFrom(connection, deps.envelope));
  });

  return router;
}
