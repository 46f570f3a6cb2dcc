import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { CliError, EXIT_INVALID_INPUT } from './errors.js';

/**
 * The `.env` file `gatehouse init` writes and `gatehouse config` adds secrets to: KEY=value lines
 * that a shell (`set -a; . ./.env`), `docker run --env-file` and Node's `--env-file` all read.
 */
export interface EnvFile {
  path: string;
  /** The file as it is; empty when it does not exist yet. */
  text: string;
  values: Record<string, string>;
}

export interface EnvEntry {
  name: string;
  value: string;
  /** A line of explanation written above a new variable. */
  comment?: string;
}

export async function readEnvFile(path: string): Promise<EnvFile> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw new CliError(`cannot read ${path} (${error.code ?? 'unreadable'})`, EXIT_INVALID_INPUT);
  });
  const values = Object.fromEntries(
    Object.entries(parseEnv(text)).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { path, text, values };
}

// Values every reader takes literally, unquoted. Docker keeps quotes as part of the value, so
// only values outside this set are quoted (single quotes: no expansion by a shell).
const PLAIN_VALUE = /^[A-Za-z0-9._~+/=:@%,-]*$/;

/** `NAME=value`, quoted only when the value needs it. */
export function envLine({ name, value }: Pick<EnvEntry, 'name' | 'value'>): string {
  if (PLAIN_VALUE.test(value)) return `${name}=${value}`;
  if (/['\n\r]/.test(value)) {
    throw new CliError(
      `the value for ${name} holds a quote or a line break, which a .env file cannot carry: set ${name} in your environment or secret manager instead`,
      EXIT_INVALID_INPUT,
    );
  }
  return `${name}='${value}'`;
}

const escapeName = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '');

/** The text with each entry set: an existing assignment is replaced where it is, a new one appended. */
export function withEnvValues(text: string, entries: readonly EnvEntry[]): string {
  let next = text;
  for (const entry of entries) {
    const assignment = new RegExp(`^[ \\t]*(export[ \\t]+)?${escapeName(entry.name)}[ \\t]*=.*$`, 'm');
    if (assignment.test(next)) {
      next = next.replace(assignment, () => envLine(entry));
      continue;
    }
    if (next !== '' && !next.endsWith('\n')) next += '\n';
    next += `${entry.comment ? `# ${entry.comment}\n` : ''}${envLine(entry)}\n`;
  }
  return next;
}

/** An environment variable name from parts: `acme`, `azure-ad`, `CLIENT_SECRET` -> ACME_AZURE_AD_CLIENT_SECRET. */
export function envVariableName(...parts: string[]): string {
  const name = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // A name may not start with a digit (POSIX shells, and the file's `${NAME}` references).
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
