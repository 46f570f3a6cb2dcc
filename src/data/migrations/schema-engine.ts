import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/**
 * The WASM schema engine is an internal Prisma API; this module is the only place that knows how
 * to start it, so a Prisma upgrade that changes it breaks one file (pinned in package.json).
 */

type Bindings = typeof bindings & { __wbg_set_wasm(exports: WebAssembly.Exports): void };

let loaded: Promise<void> | undefined;

/** The package entry imports the .wasm file as an ES module, which Node 20 cannot do: instantiate it by hand. */
async function loadWasm(): Promise<void> {
  const require = createRequire(import.meta.url);
  // The .wasm file is not in the package's exports map: locate it beside its JS glue.
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = gluePath.replace(/\.js$/, '.wasm');
  const module = new WebAssembly.Module(await readFile(wasmPath));
  const instance = new WebAssembly.Instance(module, {
    './schema_engine_bg.js': bindings as unknown as WebAssembly.ModuleImports,
  });
  (bindings as Bindings).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
}

/** The engine reports Rust panics through this global; without it a panic becomes a TypeError. */
function installPanicRegistry(): void {
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  holder.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      process.stderr.write(`schema engine panic: ${message}\n`);
    },
  };
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: Array<{ path: string; content: string }>,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  installPanicRegistry();
  // The WASM instance is process-wide state by nature; loading it twice would waste ~20 MB.
  loaded ??= loadWasm();
  await loaded;
  const adapter = bindMigrationAwareSqlAdapterFactory(adapterFactory);
  return bindings.SchemaEngine.new(
    { datamodels: schemaFiles.map((file) => [file.path, file.content] as [string, string]) },
    (message: string) => log(message),
    adapter,
  );
}
