import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { PROJECT_ROOT } from '../../support/paths.js';

export const CHART_DIR = join(PROJECT_ROOT, 'helm', 'gatehouse');
export const PRODUCTION_VALUES = join(CHART_DIR, 'ci', 'production-values.yaml');
export const RELEASE = 'gh';
export const NAMESPACE = 'identity';
/** The oldest Kubernetes the chart claims (Chart.yaml kubeVersion): every API it uses must exist there. */
export const KUBE_VERSION = '1.25.0';

/** A rendered Kubernetes object; fields are read through the typed views in the tests. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `helm` from PATH (bash helm/install-helm.sh installs it), or HELM_BIN. */
const helmBinary = () => process.env.HELM_BIN ?? 'helm';

export function helm(args: string[]): Promise<HelmRun> {
  return new Promise((resolve, reject) => {
    execFile(
      helmBinary(),
      args,
      { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`cannot run helm (${error.message}); install it with: bash helm/install-helm.sh`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Values files for one render: the given files, then each override object written to a temporary
 * file (later files win, as with repeated -f).
 */
export interface RenderInput {
  valuesFiles?: string[];
  overrides?: Record<string, unknown>[];
}

async function withValues<T>(input: RenderInput, run: (args: string[]) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-helm-'));
  try {
    const files = [...(input.valuesFiles ?? [])];
    (input.overrides ?? []).forEach((values, index) => {
      const file = join(dir, `override-${index}.yaml`);
      writeFileSync(file, stringify(values));
      files.push(file);
    });
    return await run(files.flatMap((file) => ['--values', file]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` as an install would render it; the run itself, for tests that expect a refusal. */
export function template(input: RenderInput = {}): Promise<HelmRun> {
  return withValues(input, (values) =>
    helm([
      'template',
      RELEASE,
      CHART_DIR,
      '--namespace',
      NAMESPACE,
      '--kube-version',
      KUBE_VERSION,
      ...values,
    ]),
  );
}

/** Renders and parses every document; throws with helm's own message when the chart refuses. */
export async function render(input: RenderInput = {}): Promise<Manifest[]> {
  const run = await template(input);
  if (run.code !== 0) throw new Error(`helm template failed (${run.code}):\n${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`unparsable manifest: ${document.errors[0]?.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

export function lint(input: RenderInput = {}): Promise<HelmRun> {
  return withValues(input, (values) =>
    helm(['lint', CHART_DIR, '--strict', '--namespace', NAMESPACE, ...values]),
  );
}

export function one(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0] as Manifest;
}
