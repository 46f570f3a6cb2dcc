import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes through a temporary file in the same folder, then renames it over the target: a reader
 * (or a crash) sees the old file or the new one, never half of either. Without `mode` an existing
 * file keeps its permissions and a new one is 0644.
 */
export async function writeFileAtomically(path: string, text: string, mode?: number): Promise<void> {
  const existing = mode === undefined ? await stat(path).catch(() => undefined) : undefined;
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, {
      mode: mode ?? (existing ? existing.mode & 0o777 : 0o644),
      flag: 'wx',
    });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Mode of files holding secrets (.env): readable by their owner only. */
export const SECRET_FILE_MODE = 0o600;
