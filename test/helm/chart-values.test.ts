import { describe, expect, it } from '@jest/globals';
import { lint, PRODUCTION_VALUES, template, type RenderInput } from './support/helm.js';

/**
 * Values the chart must refuse before anything reaches a cluster: values.schema.json for single
 * values, the `fail` rules of _helpers.tpl for values that depend on each other.
 */
const REFUSED: { what: string; input: RenderInput; says: RegExp }[] = [
  { what: 'a single replica', input: { overrides: [{ replicaCount: 1 }] }, says: /replicaCount/ },
  {
    what: 'an autoscaler that may go down to one pod',
    input: { overrides: [{ autoscaling: { enabled: true, minReplicas: 1 } }] },
    says: /minReplicas/,
  },
  {
    what: 'an autoscaler whose maximum is below its minimum',
    input: { overrides: [{ autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 3 } }] },
    says: /autoscaling\.maxReplicas must be at least autoscaling\.minReplicas/,
  },
  {
    what: 'production values without the name of the existing Secret',
    input: { valuesFiles: [PRODUCTION_VALUES], overrides: [{ secrets: { existingSecret: '' } }] },
    says: /existingSecret/,
  },
  {
    what: 'a secret reference without a key',
    input: { overrides: [{ secrets: { databaseUrl: { key: '' } } }] },
    says: /databaseUrl/,
  },
  {
    what: 'a secret written into the values as a plain environment variable',
    input: { overrides: [{ extraEnv: [{ name: 'DATABASE_URL', value: 'postgresql://gh:pw@db/gh' }] }] },
    says: /extraEnv: DATABASE_URL is a secret/,
  },
  { what: 'an http issuer', input: { overrides: [{ issuer: 'http://id.example.com' }] }, says: /issuer/ },
  {
    what: 'a writable root filesystem',
    input: { overrides: [{ securityContext: { readOnlyRootFilesystem: false } }] },
    says: /readOnlyRootFilesystem/,
  },
  {
    what: 'pods allowed to run as root',
    input: { overrides: [{ podSecurityContext: { runAsNonRoot: false } }] },
    says: /runAsNonRoot/,
  },
  {
    what: 'a container without a memory limit',
    input: { overrides: [{ resources: { limits: { memory: null } } }] },
    says: /memory/,
  },
  { what: 'a misspelt value', input: { overrides: [{ replicas: 3 }] }, says: /replicas/ },
  {
    what: 'a disruption budget that would block every node drain',
    input: { overrides: [{ podDisruptionBudget: { minAvailable: 2 } }] },
    says: /minAvailable must be below the replica count/,
  },
  {
    what: 'a shutdown grace the kubelet would cut short',
    input: { overrides: [{ config: { shutdownGraceSeconds: 30 } }] },
    says: /must stay below terminationGracePeriodSeconds/,
  },
  {
    what: 'a declarative file without its version',
    input: { overrides: [{ declarativeConfig: { clients: [] } }] },
    says: /version/,
  },
  {
    what: "an ingress that does not serve the issuer's host",
    input: { overrides: [{ issuer: 'https://login.example.org', ingress: { enabled: true } }] },
    says: /none is the issuer's host login\.example\.org/,
  },
  {
    what: 'an ingress without hosts',
    input: { overrides: [{ ingress: { enabled: true, hosts: [] } }] },
    says: /ingress\.hosts/,
  },
];

describe('values the Helm chart refuses', () => {
  it.each(REFUSED)('refuses $what', async ({ input, says }) => {
    const run = await template(input);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(says);
  });

  it('refuses them in helm lint (and so in helm install) as well', async () => {
    const run = await lint({
      valuesFiles: [PRODUCTION_VALUES],
      overrides: [{ secrets: { existingSecret: '' } }],
    });
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/existingSecret/);
  });
});
