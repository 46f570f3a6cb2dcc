import { fileURLToPath } from 'node:url';

/**
 * How to start a bench child (`script`, a path relative to `from`, the caller's import.meta.url).
 * `npm run bench` runs the JavaScript tsc compiles (tsconfig.bench.json), as `npm start` and the
 * Docker image run Gatehouse: the servers then pay no TypeScript loader at run time (tsx's
 * esbuild output wraps every function it creates in a naming helper, on every request). Started
 * from the sources (`tsx bench/run.ts`), the children load through tsx as well.
 */
export function childScript(script: string, from: string, profileDir: string | undefined) {
  const compiled = from.endsWith('.js');
  return {
    path: fileURLToPath(new URL(compiled ? script.replace(/\.ts$/, '.js') : script, from)),
    execArgv: [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(compiled ? [] : ['--import', 'tsx']),
    ],
  };
}
