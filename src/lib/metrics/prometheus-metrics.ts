import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../domain/ports/metrics.js';
import { grantType, httpMethod, oauthError, protocolEndpoint, statusClass } from './label-values.js';

/** Every metric name starts with this, the process and runtime ones included. */
export const METRIC_PREFIX = 'gatehouse_';

/** One answered HTTP request; `route` is a bounded template (http/metrics/route-label.ts). */
export interface HttpRequestObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}

/** The port, plus what only the HTTP layer records and the scrape endpoint reads. */
export interface ServerMetrics extends Metrics {
  httpRequest(observation: HttpRequestObservation): void;
  /** Every metric in the Prometheus text exposition format, with its content type. */
  exposition(): Promise<{ contentType: string; body: string }>;
}

// 5 ms to 10 s (prom-client's defaults): from a JWKS read to an argon2id check under load, and
// up to the webhook request timeout.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The metrics of one container, in a registry of its own: prom-client's global default registry
 * would mix (and refuse to re-register) the metrics of several apps built in one process.
 */
export function createPrometheusMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: METRIC_PREFIX + name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Histogram<L>({
      name: METRIC_PREFIX + name,
      help,
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });

  const requests = counter(
    'http_requests_total',
    'HTTP requests answered, by route template and status class',
    ['method', 'route', 'status_class'],
  );
  const latency = histogram('http_request_duration_seconds', 'Time to answer an HTTP request', [
    'method',
    'route',
  ]);
  const signIns = counter('sign_ins_total', 'Sign-in outcomes by first factor (mfa: the second)', [
    'method',
    'outcome',
  ]);
  const federation = counter('federation_responses_total', 'Answers of upstream identity providers', [
    'protocol',
    'outcome',
  ]);
  const scim = counter('scim_requests_total', 'SCIM requests by resource and status class', [
    'resource',
    'method',
    'status_class',
  ]);
  const tokens = counter('tokens_issued_total', 'Token endpoint responses that issued tokens', [
    'grant_type',
  ]);
  const protocolErrors = counter(
    'oauth_errors_total',
    'OAuth and OIDC error responses by endpoint and code',
    ['endpoint', 'error'],
  );
  const webhooks = counter('webhook_deliveries_total', 'Webhook delivery attempts by outcome', ['outcome']);
  const webhookLatency = histogram(
    'webhook_delivery_duration_seconds',
    'Time of a webhook delivery attempt',
    ['outcome'],
  );
  const logouts = counter('backchannel_logouts_total', 'OIDC back-channel logout notifications', ['outcome']);

  return {
    httpRequest({ method, route, status, seconds }) {
      const verb = httpMethod(method);
      requests.inc({ method: verb, route, status_class: statusClass(status) });
      latency.observe({ method: verb, route }, seconds);
    },
    signIn: (method, outcome) => signIns.inc({ method, outcome }),
    federation: (protocol, outcome) => federation.inc({ protocol, outcome }),
    scim: (resource, method, status) =>
      scim.inc({ resource, method: httpMethod(method), status_class: statusClass(status) }),
    tokenIssued: (grant) => tokens.inc({ grant_type: grantType(grant) }),
    protocolError: (endpoint, error) =>
      protocolErrors.inc({ endpoint: protocolEndpoint(endpoint), error: oauthError(error) }),
    webhookDelivery(outcome, seconds) {
      webhooks.inc({ outcome });
      webhookLatency.observe({ outcome }, seconds);
    },
    backchannelLogout: (outcome) => logouts.inc({ outcome }),
    async exposition() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
