import { join } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../support/paths.js';
import type { Manifest } from './helm.js';

/**
 * Checks rendered manifests against the Kubernetes API schemas without a cluster. kubernetes-models
 * carries, per apiVersion and kind, the JSON Schema of the Kubernetes OpenAPI document compiled with
 * ajv (required fields, types, formats, int-or-string) and the same schema as TypeScript types.
 * The JSON Schemas accept unknown fields (the OpenAPI document does not forbid them), which is where
 * a misspelt `readinesProbe` would hide, so the types are used as well: every manifest is compiled
 * as an object literal of its kind's type, and the compiler refuses any field Kubernetes does not have.
 */

const label = (manifest: Manifest) => `${manifest.kind}/${manifest.metadata.name}`;

/** kubernetes-models lays its modules out as <apiVersion>/<Kind>; the core group is plain `v1`. */
const modelModule = ({ apiVersion, kind }: Manifest) => `kubernetes-models/${apiVersion}/${kind}`;

type ModelClass = new (data: unknown) => { validate(): void };

/** Violations of each manifest's JSON Schema, one line per manifest, empty when all conform. */
export async function schemaProblems(manifests: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  for (const manifest of manifests) {
    let Model: ModelClass | undefined;
    try {
      const module = (await import(modelModule(manifest))) as Record<string, ModelClass>;
      Model = module[manifest.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      problems.push(`${label(manifest)}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
    } catch (error) {
      problems.push(`${label(manifest)}: ${(error as Error).message}`);
    }
  }
  return problems;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: [],
};

/** Fields (at any depth) that the Kubernetes API of the manifest's kind does not define. */
export function unknownFieldProblems(manifests: Manifest[]): string[] {
  // A file that is never written: only the compiler host knows it. Inside the project, so that
  // `kubernetes-models` resolves from node_modules.
  const fileName = join(PROJECT_ROOT, 'test', 'helm', 'rendered-manifests.generated.ts').replaceAll(
    '\\',
    '/',
  );
  let text = manifests
    .map(
      (manifest, index) =>
        `import type { I${manifest.kind} as T${index} } from '${modelModule(manifest)}';\n`,
    )
    .join('');
  const starts: number[] = [];
  manifests.forEach((manifest, index) => {
    starts.push(text.length);
    text += `export const m${index}: T${index} = ${JSON.stringify(manifest, null, 2)};\n`;
  });

  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, text, languageVersion)
      : getSourceFile.call(host, name, languageVersion, ...rest);
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? text : readFile.call(host, name));

  const program = ts.createProgram([fileName], COMPILER_OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const start = diagnostic.start ?? 0;
    const index = starts.findLastIndex((offset) => offset <= start);
    const owner = manifests[index];
    return owner ? `${label(owner)}: ${message}` : message;
  });
}
