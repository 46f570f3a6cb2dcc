import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { one, type Manifest } from './helm.js';

/** Typed views of rendered manifests (their shapes are checked by kubernetes-schema.ts). */
export const typed = <T>(manifests: Manifest[], kind: string): T => one(manifests, kind) as unknown as T;

export const deploymentOf = (manifests: Manifest[]) => typed<IDeployment>(manifests, 'Deployment');
export const migrationJobOf = (manifests: Manifest[]) => typed<IJob>(manifests, 'Job');

export function podSpecOf(workload: IDeployment | IJob): IPodSpec {
  const spec = workload.spec?.template.spec;
  if (!spec) throw new Error(`${workload.metadata?.name} has no pod template`);
  return spec;
}

export function containerOf(workload: IDeployment | IJob): IContainer {
  const containers = podSpecOf(workload).containers;
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0] as IContainer;
}

export const envOf = (workload: IDeployment | IJob): IEnvVar[] => containerOf(workload).env ?? [];

/** The Secret name and key an environment variable is read from, or undefined if it is not. */
export function secretSourceOf(env: IEnvVar[], name: string): { secret: string; key: string } | undefined {
  const ref = env.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef;
  return ref ? { secret: ref.name ?? '', key: ref.key } : undefined;
}
