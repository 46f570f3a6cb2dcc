import { afterAll, beforeAll } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';

/**
 * Time allowed to open PGlite (initdb in WebAssembly) and migrate it: seconds when the machine is
 * idle, past half a minute while the rest of the suite keeps both cores busy.
 */
export const DATABASE_OPEN_TIMEOUT_MS = 120_000;

/**
 * Opens a database for the enclosing describe block and closes it after; `use` receives it.
 * Opening PGlite (initdb) and migrating takes seconds, far more on a busy machine.
 */
export function openDuringSuite(
  open: () => Promise<OpenedDatabase>,
  use: (db: OpenedDatabase) => void,
): void {
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    opened = await open();
    use(opened);
  }, DATABASE_OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await opened?.close();
  });
}
