import type { tsImport as TsImport } from 'tsx/esm/api';

/**
 * Jest loads global setup through require, without moduleNameMapper, so the project's ESM
 * sources (`./x.js` naming `x.ts`) cannot be imported the usual way. tsx loads them as Node
 * would; it is reached through a real dynamic import, which the require-time transform would
 * otherwise rewrite into require().
 */
const nativeImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

export default async function globalSetup(): Promise<void> {
  const { tsImport } = (await nativeImport('tsx/esm/api')) as { tsImport: typeof TsImport };
  const { setUpTestDatabase } = (await tsImport('./test-database.ts', import.meta.url)) as {
    setUpTestDatabase(): Promise<void>;
  };
  await setUpTestDatabase();
}
