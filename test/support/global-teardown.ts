import type { tsImport as TsImport } from 'tsx/esm/api';

/** Loads the project's sources the way global-setup.ts does, for the same reason. */
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

export default async function globalTeardown(): Promise<void> {
  const { tsImport } = (await nativeImport('tsx/esm/api')) as { tsImport: typeof TsImport };
  const { tearDownTestDatabase } = (await tsImport('./test-database.ts', import.meta.url)) as {
    tearDownTestDatabase(): Promise<void>;
  };
  await tearDownTestDatabase();
}
