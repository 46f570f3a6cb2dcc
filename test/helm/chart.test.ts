import { beforeAll, describe, expect, it } from '@jest/globals';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import { lint, PRODUCTION_VALUES, render, type Manifest, type RenderInput } from './support/helm.js';
import { schemaProblems, unknownFieldProblems } from './support/kubernetes-schema.js';
import {
  containerOf,
  deploymentOf,
  envOf,
  migrationJobOf,
  podSpecOf,
  secretSourceOf,
  typed,
} from './support/workloads.js';

/** What Gatehouse refuses to start without in production (src/config/production-rules.ts), and SMTP. */
const REQUIRED_SECRETS = ['DATABASE_URL', 'REDIS_URL', 'GATEHOUSE_KEK', 'COOKIE_KEYS'];
const SECRET_ENV = [...REQUIRED_SECRETS, 'SMTP_URL'];

/**
 * The API version of each kind: the stable ones, served by every Kubernetes the chart supports
 * (Chart.yaml kubeVersion). The schema package still describes removed versions (policy/v1beta1,
 * autoscaling/v2beta2...), so this is checked here.
 */
const SERVED_API_VERSIONS: Record<string, string> = {
  ConfigMap: 'v1',
  Deployment: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  Ingress: 'networking.k8s.io/v1',
  Job: 'batch/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
  Service: 'v1',
  ServiceAccount: 'v1',
};

const CASES: { name: string; input: RenderInput; kinds: string[] }[] = [
  {
    name: 'default values',
    input: {},
    kinds: ['Deployment', 'Job', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount'],
  },
  {
    name: 'production-like values',
    input: { valuesFiles: [PRODUCTION_VALUES] },
    kinds: [
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ],
  },
];

describe.each(CASES)('the Helm chart rendered with $name', ({ input, kinds }) => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await render(input);
  });

  it('passes helm lint --strict', async () => {
    const run = await lint(input);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('renders the expected objects, each valid against the Kubernetes schema of its kind', async () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(kinds);
    for (const { kind, apiVersion } of manifests)
      expect(`${kind} ${apiVersion}`).toBe(`${kind} ${SERVED_API_VERSIONS[kind]}`);
    expect(await schemaProblems(manifests)).toEqual([]);
    expect(unknownFieldProblems(manifests)).toEqual([]);
    // A TypeScript program over the Kubernetes types: seconds, more on a loaded machine.
  }, 90_000);

  it('runs at least two pods, or lets an autoscaler with a floor of two own the count', () => {
    const deployment = deploymentOf(manifests);
    const autoscalers = manifests.filter((manifest) => manifest.kind === 'HorizontalPodAutoscaler');
    if (autoscalers.length === 0) {
      expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(2);
      return;
    }
    // A replica count beside an HPA would be reset on every upgrade, fighting the autoscaler.
    expect(deployment.spec?.replicas).toBeUndefined();
    const hpa = typed<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata?.name,
    });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec?.maxReplicas).toBeGreaterThanOrEqual(hpa.spec?.minReplicas ?? Infinity);
  });

  it('probes /healthz for startup and liveness and /readyz for readiness on the served port', () => {
    const container = containerOf(deploymentOf(manifests));
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(envOf(deploymentOf(manifests))).toContainEqual({ name: 'PORT', value: '3000' });
  });

  it('runs server and migration pods as non-root, read-only, without capabilities or a token', () => {
    for (const workload of [deploymentOf(manifests), migrationJobOf(manifests)]) {
      const pod = podSpecOf(workload);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      const container = containerOf(workload);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      // The one writable path: /tmp on an emptyDir.
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual(
        expect.objectContaining({ name: 'tmp', emptyDir: expect.anything() }),
      );
      expect(container.resources?.requests).toEqual(expect.objectContaining({ memory: expect.anything() }));
      expect(container.resources?.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
    }
  });

  it('reads every secret from a Secret by reference and renders no secret value', () => {
    expect(manifests.some((manifest) => manifest.kind === 'Secret')).toBe(false);
    const serverEnv = envOf(deploymentOf(manifests));
    for (const name of REQUIRED_SECRETS) expect(secretSourceOf(serverEnv, name)?.secret).toMatch(/^[a-z]/);
    for (const workload of [deploymentOf(manifests), migrationJobOf(manifests)]) {
      const inline = envOf(workload).filter(
        ({ name, value }) => SECRET_ENV.includes(name) && value !== undefined,
      );
      expect(inline).toEqual([]);
    }
    const text = JSON.stringify(manifests);
    expect(text).not.toMatch(/postgres(ql)?:\/\/|rediss?:\/\/|smtps?:\/\/|BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('migrates in a pre-install/pre-upgrade hook Job that holds only the database secret', () => {
    const job = migrationJobOf(manifests);
    const annotations = job.metadata?.annotations ?? {};
    expect(annotations['helm.sh/hook']?.split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
    expect(annotations['helm.sh/hook-delete-policy']?.split(',')).toContain('before-hook-creation');
    expect(containerOf(job).args).toEqual(['node', 'dist/cli/main.js', 'migrate']);
    expect(podSpecOf(job).restartPolicy).toBe('Never');
    const env = envOf(job);
    expect(secretSourceOf(env, 'DATABASE_URL')).toEqual(
      secretSourceOf(envOf(deploymentOf(manifests)), 'DATABASE_URL'),
    );
    expect(env.filter(({ valueFrom }) => valueFrom).map(({ name }) => name)).toEqual(['DATABASE_URL']);
  });

  it('keeps a disruption budget and a Service on exactly the serving pods', () => {
    const deployment = deploymentOf(manifests);
    const selector = deployment.spec?.selector.matchLabels ?? {};
    expect(selector['app.kubernetes.io/component']).toBe('server');
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(selector);

    const pdb = typed<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget');
    expect(pdb.spec?.selector?.matchLabels).toEqual(selector);
    expect(pdb.spec?.maxUnavailable ?? pdb.spec?.minAvailable).toBeDefined();

    const service = typed<IService>(manifests, 'Service');
    expect(service.spec?.selector).toEqual(selector);
    expect(service.spec?.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
  });

  it('admits only the http port from the ingress controller and lets out DNS, PostgreSQL, Redis, HTTPS', () => {
    const policy = typed<INetworkPolicy>(manifests, 'NetworkPolicy');
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deploymentOf(manifests).spec?.template.metadata?.labels).toMatchObject(
      policy.spec?.podSelector?.matchLabels ?? { missing: 'selector' },
    );
    expect(policy.spec?.ingress).toHaveLength(1);
    const [rule] = policy.spec?.ingress ?? [];
    expect(rule?.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(JSON.stringify(rule?.from)).toContain('ingress-nginx');
    const egressPorts = (policy.spec?.egress ?? []).flatMap((egress) =>
      (egress.ports ?? []).map(({ port, protocol }) => `${port}/${protocol}`),
    );
    expect(egressPorts).toEqual(
      expect.arrayContaining(['53/UDP', '53/TCP', '5432/TCP', '6379/TCP', '443/TCP']),
    );
  });
});
