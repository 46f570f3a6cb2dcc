import { beforeAll, describe, expect, it } from '@jest/globals';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parseConfigText } from '../../src/config/declarative/load.js';
import { PRODUCTION_VALUES, render, type Manifest } from './support/helm.js';
import { containerOf, deploymentOf, envOf, podSpecOf, secretSourceOf, typed } from './support/workloads.js';

const production = { valuesFiles: [PRODUCTION_VALUES] };

function declarativeFileOf(manifests: Manifest[]): string {
  const file = typed<IConfigMap>(manifests, 'ConfigMap').data?.['gatehouse.yaml'];
  if (!file) throw new Error('the ConfigMap carries no gatehouse.yaml');
  return file;
}

const checksumOf = (manifests: Manifest[]) =>
  deploymentOf(manifests).spec?.template.metadata?.annotations?.['checksum/config'];

describe('the Helm chart with production-like values', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await render(production);
  });

  it('serves the issuer host over TLS through the ingress', () => {
    const ingress = typed<IIngress>(manifests, 'Ingress');
    const issuer = new URL(envOf(deploymentOf(manifests)).find(({ name }) => name === 'ISSUER')?.value ?? '');
    expect(issuer.protocol).toBe('https:');
    expect(ingress.spec?.tls).toEqual([{ secretName: 'gatehouse-tls', hosts: [issuer.host] }]);
    expect(ingress.spec?.rules?.map(({ host }) => host)).toEqual([issuer.host]);
    expect(ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service).toEqual({
      name: deploymentOf(manifests).metadata?.name,
      port: { name: 'http' },
    });
  });

  it('mounts a declarative file that Gatehouse itself accepts, its references filled from Secrets', () => {
    const text = declarativeFileOf(manifests);
    const env = envOf(deploymentOf(manifests));
    const references = [...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((match) => match[1] as string);
    expect(references.length).toBeGreaterThan(0);
    for (const name of references) expect(secretSourceOf(env, name)).toBeDefined();

    const filled = Object.fromEntries(
      references.map((name) => [name, `${name.toLowerCase()}-`.padEnd(48, 'x')]),
    );
    const config = parseConfigText(text, 'gatehouse.yaml', filled);
    expect(config.clients.map((client) => client.client_id)).toEqual(['portal']);
    expect(config.organizations.map((organization) => organization.slug)).toEqual(['acme']);

    const mount = containerOf(deploymentOf(manifests)).volumeMounts?.find(({ name }) => name === 'config');
    expect(mount?.readOnly).toBe(true);
    expect(env).toContainEqual({ name: 'GATEHOUSE_CONFIG', value: `${mount?.mountPath}/gatehouse.yaml` });
    expect(podSpecOf(deploymentOf(manifests)).volumes).toContainEqual({
      name: 'config',
      configMap: { name: typed<IConfigMap>(manifests, 'ConfigMap').metadata?.name },
    });
  });

  it('rolls the pods when the declarative file changes, and only then', async () => {
    const again = await render(production);
    expect(checksumOf(again)).toBe(checksumOf(manifests));
    const changed = await render({
      ...production,
      overrides: [{ declarativeConfig: { version: 1, clients: [] } }],
    });
    expect(checksumOf(changed)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(changed)).not.toBe(checksumOf(manifests));
  });

  it('pins the image by digest and keeps the key-encryption key in a Secret of its own', () => {
    expect(containerOf(deploymentOf(manifests)).image).toMatch(
      /^registry\.acme\.example\/.+@sha256:[0-9a-f]{64}$/,
    );
    const env = envOf(deploymentOf(manifests));
    expect(secretSourceOf(env, 'GATEHOUSE_KEK')).toEqual({ secret: 'gatehouse-kek', key: 'kek' });
    expect(secretSourceOf(env, 'DATABASE_URL')).toEqual({ secret: 'gatehouse-runtime', key: 'DATABASE_URL' });
    expect(secretSourceOf(env, 'SMTP_URL')).toEqual({ secret: 'gatehouse-runtime', key: 'SMTP_URL' });
  });

  it('narrows egress to the database network, the Redis namespace and cluster DNS', () => {
    const egress = typed<INetworkPolicy>(manifests, 'NetworkPolicy').spec?.egress ?? [];
    const ruleFor = (port: number) => egress.find((rule) => rule.ports?.some((entry) => entry.port === port));
    expect(ruleFor(5432)?.to).toEqual([{ ipBlock: { cidr: '10.20.0.0/24' } }]);
    expect(JSON.stringify(ruleFor(6379)?.to)).toContain('"kubernetes.io/metadata.name":"redis"');
    expect(JSON.stringify(ruleFor(53)?.to)).toContain('kube-dns');
    expect(ruleFor(587)).toBeDefined();
  });
});

describe('the Helm chart with default values', () => {
  it('mounts no declarative file and sets no GATEHOUSE_CONFIG', async () => {
    const manifests = await render();
    expect(manifests.some((manifest) => manifest.kind === 'ConfigMap')).toBe(false);
    expect(envOf(deploymentOf(manifests)).map(({ name }) => name)).not.toContain('GATEHOUSE_CONFIG');
    expect(podSpecOf(deploymentOf(manifests)).volumes?.map(({ name }) => name)).toEqual(['tmp']);
  });

  it('takes the declarative file as text too, verbatim', async () => {
    const text = 'version: 1\n# local accounts only\nusers: []';
    const manifests = await render({ overrides: [{ declarativeConfig: text }] });
    expect(declarativeFileOf(manifests)).toBe(`${text}\n`);
  });
});
