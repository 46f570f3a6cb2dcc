import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json is), found from this file so src/ and dist/ both work. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Gatehouse package root');
    dir = parent;
  }
  return dir;
}

export const viewsDir = () => join(projectRoot(), 'views');
export const migrationsDir = () => join(projectRoot(), 'prisma', 'migrations');
