import { beforeAll, describe, expect, it } from '@jest/globals';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IService } from 'kubernetes-models/v1/Service';
import { lint, render, template, type Manifest, type RenderInput } from './support/helm.js';
import { schemaProblems, unknownFieldProblems } from './support/kubernetes-schema.js';
import { deploymentOf, envOf, secretSourceOf, typed } from './support/workloads.js';

const MONITORING = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };

const SCRAPED: RenderInput = {
  overrides: [
    {
      metrics: {
        enabled: true,
        token: { name: 'gatehouse-metrics', key: 'token' },
        scrapeFrom: [MONITORING],
        serviceAnnotations: true,
        serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
      },
    },
  ],
};

interface ServiceMonitor {
  metadata: { labels: Record<string, string> };
  spec: {
    selector: { matchLabels: Record<string, string> };
    namespaceSelector: { matchNames: string[] };
    endpoints: {
      port: string;
      path: string;
      authorization: { type: string; credentials: { name: string; key: string } };
    }[];
  };
}

describe('the Helm chart without metrics (the default)', () => {
  it('neither passes a metrics token nor asks anyone to scrape', async () => {
    const manifests = await render();
    expect(envOf(deploymentOf(manifests)).map(({ name }) => name)).not.toContain('METRICS_TOKEN');
    expect(manifests.map((manifest) => manifest.kind)).not.toContain('ServiceMonitor');
    expect(typed<IService>(manifests, 'Service').metadata?.annotations ?? {}).toEqual({});
    expect(typed<INetworkPolicy>(manifests, 'NetworkPolicy').spec?.ingress).toHaveLength(1);
  });
});

describe('the Helm chart with metrics, annotations and a ServiceMonitor', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await render(SCRAPED);
  });

  it('passes helm lint --strict, and its built-in objects match the Kubernetes schema', async () => {
    const run = await lint(SCRAPED);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const builtIn = manifests.filter((manifest) => manifest.kind !== 'ServiceMonitor');
    expect(await schemaProblems(builtIn)).toEqual([]);
    expect(unknownFieldProblems(builtIn)).toEqual([]);
  }, 90_000);

  it('reads METRICS_TOKEN from its Secret by reference', () => {
    const env = envOf(deploymentOf(manifests));
    expect(secretSourceOf(env, 'METRICS_TOKEN')).toEqual({ secret: 'gatehouse-metrics', key: 'token' });
    expect(env.find(({ name }) => name === 'METRICS_TOKEN')?.value).toBeUndefined();
  });

  it('admits the scrapers to the http port and annotates the Service for them', () => {
    const ingress = typed<INetworkPolicy>(manifests, 'NetworkPolicy').spec?.ingress ?? [];
    expect(ingress).toHaveLength(2);
    expect(ingress[1]).toEqual({ ports: [{ port: 'http', protocol: 'TCP' }], from: [MONITORING] });
    const service = typed<IService>(manifests, 'Service');
    expect(service.metadata?.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      'prometheus.io/port': String(service.spec?.ports?.[0]?.port),
    });
  });

  it('renders a ServiceMonitor on the Service, sending the same token', () => {
    const monitor = typed<ServiceMonitor>(manifests, 'ServiceMonitor');
    const service = typed<IService>(manifests, 'Service');
    expect((monitor as unknown as Manifest).apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(service.metadata?.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual(['identity']);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({
        port: service.spec?.ports?.[0]?.name,
        path: '/metrics',
        authorization: { type: 'Bearer', credentials: { name: 'gatehouse-metrics', key: 'token' } },
      }),
    ]);
  });
});

describe('metrics values the Helm chart refuses', () => {
  it.each([
    {
      what: 'a ServiceMonitor for metrics that are off',
      values: { metrics: { serviceMonitor: { enabled: true } } },
      says: /set metrics\.enabled too/,
    },
    {
      what: 'the metrics token written into the values',
      values: { extraEnv: [{ name: 'METRICS_TOKEN', value: 'x'.repeat(40) }] },
      says: /extraEnv: METRICS_TOKEN is a secret/,
    },
    {
      what: 'a scrape interval that is no duration',
      values: { metrics: { serviceMonitor: { interval: 'often' } } },
      says: /interval/,
    },
  ])('refuses $what', async ({ values, says }) => {
    const run = await template({ overrides: [values] });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(says);
  });
});
