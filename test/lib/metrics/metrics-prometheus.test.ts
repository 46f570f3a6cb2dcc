import { describe, expect, it } from '@jest/globals';
import { createPrometheusMetrics } from '../../../src/lib/metrics/prometheus-metrics.js';

const sampleLines = async (metrics: ReturnType<typeof createPrometheusMetrics>, name: string) =>
  (await metrics.exposition()).body.split('\n').filter((line) => line.startsWith(`${name}{`));

describe('Prometheus metrics', () => {
  it('keeps one registry per instance: two apps in one process count apart', async () => {
    const first = createPrometheusMetrics();
    const second = createPrometheusMetrics();
    first.tokenIssued('client_credentials');
    first.tokenIssued('client_credentials');
    second.tokenIssued('client_credentials');
    expect(await sampleLines(first, 'gatehouse_tokens_issued_total')).toEqual([
      'gatehouse_tokens_issued_total{grant_type="client_credentials"} 2',
    ]);
    expect(await sampleLines(second, 'gatehouse_tokens_issued_total')).toEqual([
      'gatehouse_tokens_issued_total{grant_type="client_credentials"} 1',
    ]);
  });

  it('serves the text exposition format with process metrics under the prefix', async () => {
    const { contentType, body } = await createPrometheusMetrics().exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('# TYPE gatehouse_http_requests_total counter');
    expect(body).toContain('# TYPE gatehouse_http_request_duration_seconds histogram');
    expect(body).toMatch(/^gatehouse_process_cpu_user_seconds_total \d/m);
    const names = body.split('\n').filter((line) => line && !line.startsWith('#'));
    for (const line of names) expect(line).toMatch(/^gatehouse_/);
  });

  it('maps values outside their fixed lists to other', async () => {
    const metrics = createPrometheusMetrics();
    metrics.tokenIssued('urn:example:made-up-grant');
    metrics.protocolError('reg/cli_123', 'invalid_request; DROP TABLE');
    metrics.protocolError('token', 'invalid_grant');
    metrics.httpRequest({ method: 'BREW', route: '/token', status: 418, seconds: 0.01 });
    metrics.scim('Users', 'PROPFIND', 207);
    expect(await sampleLines(metrics, 'gatehouse_tokens_issued_total')).toEqual([
      'gatehouse_tokens_issued_total{grant_type="other"} 1',
    ]);
    expect(await sampleLines(metrics, 'gatehouse_oauth_errors_total')).toEqual([
      'gatehouse_oauth_errors_total{endpoint="other",error="other"} 1',
      'gatehouse_oauth_errors_total{endpoint="token",error="invalid_grant"} 1',
    ]);
    expect(await sampleLines(metrics, 'gatehouse_http_requests_total')).toEqual([
      'gatehouse_http_requests_total{method="other",route="/token",status_class="4xx"} 1',
    ]);
    expect(await sampleLines(metrics, 'gatehouse_scim_requests_total')).toEqual([
      'gatehouse_scim_requests_total{resource="Users",method="other",status_class="2xx"} 1',
    ]);
  });

  it('times HTTP requests and webhook deliveries in histograms', async () => {
    const metrics = createPrometheusMetrics();
    metrics.httpRequest({ method: 'POST', route: '/token', status: 200, seconds: 0.02 });
    metrics.webhookDelivery('failed', 3);
    expect(await sampleLines(metrics, 'gatehouse_http_request_duration_seconds_count')).toEqual([
      'gatehouse_http_request_duration_seconds_count{method="POST",route="/token"} 1',
    ]);
    expect(await sampleLines(metrics, 'gatehouse_webhook_delivery_duration_seconds_bucket')).toContain(
      'gatehouse_webhook_delivery_duration_seconds_bucket{le="5",outcome="failed"} 1',
    );
  });
});
