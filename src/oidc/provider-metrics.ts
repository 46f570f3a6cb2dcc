import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Metrics } from '../domain/ports/metrics.js';
import type { OidcProvider } from './provider-factory.js';

/** Route names whose endpoint label differs from the name (a server error carries the route's). */
const ROUTE_ENDPOINTS: Record<string, string> = {
  resume: 'authorization',
  end_session_confirm: 'end_session',
  end_session_success: 'end_session',
};

/**
 * Protocol counters from the provider's own events (lib/helpers/initialize_app.js): tokens issued
 * by grant type, error responses by endpoint and OAuth error code (a 500 is reported apart, as
 * `server_error`), and the back-channel logouts it sends at RP-initiated logout. Label values are
 * bounded by the metrics implementation; nothing here reads a client, account or token.
 */
export function registerProviderMetrics(provider: OidcProvider, metrics: Metrics): void {
  const countError = (endpoint: string) => (_ctx: KoaContextWithOIDC, error: { error?: string }) =>
    metrics.protocolError(endpoint, error.error ?? '');

  provider.on('grant.success', (ctx) => metrics.tokenIssued(String(ctx.oidc.params?.grant_type ?? '')));
  provider.on('grant.error', countError('token'));
  provider.on('authorization.error', countError('authorization'));
  provider.on('pushed_authorization_request.error', countError('pushed_authorization_request'));
  provider.on('userinfo.error', countError('userinfo'));
  provider.on('introspection.error', countError('introspection'));
  provider.on('revocation.error', countError('revocation'));
  provider.on('end_session.error', countError('end_session'));
  provider.on('end_session_confirm.error', countError('end_session'));
  provider.on('jwks.error', countError('jwks'));
  provider.on('discovery.error', countError('discovery'));
  provider.on('server_error', (ctx) => {
    const route = String(ctx.oidc?.route ?? '');
    metrics.protocolError(ROUTE_ENDPOINTS[route] ?? route, 'server_error');
  });
  provider.on('backchannel.success', () => metrics.backchannelLogout('delivered'));
  provider.on('backchannel.error', () => metrics.backchannelLogout('failed'));
}
