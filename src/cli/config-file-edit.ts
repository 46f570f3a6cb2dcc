import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseDocument, type Document } from 'yaml';
import { ConfigFileError, parseConfigText } from '../config/declarative/load.js';
import { readEnvFile, withEnvValues, type EnvEntry, type EnvFile } from './env-file.js';
import { CliError, EXIT_INVALID_INPUT, EXIT_NOT_FOUND } from './errors.js';
import { SECRET_FILE_MODE, writeFileAtomically } from './file-writes.js';

/** What an edit changes: the document in place, and variables for the .env file. */
export interface EditOutcome<T> {
  env: EnvEntry[];
  result: T;
}

export interface EditedFile<T> {
  result: T;
  /** Variables the file references that neither the environment nor the .env file sets. */
  unset: string[];
}

/** The .env beside the declarative file, unless `--env-file` names another. */
export const envFileFor = (file: string, envFile: string | undefined) =>
  envFile ?? join(dirname(file), '.env');

async function readConfigText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CliError(
        `${file} does not exist: run \`gatehouse init --template <name>\` to write one, or point -f at yours`,
        EXIT_NOT_FOUND,
      );
    }
    throw new CliError(`cannot read ${file} (${code ?? 'unreadable'})`, EXIT_INVALID_INPUT);
  }
}

/**
 * Validates the file as `gatehouse plan` would. A variable nobody set yet (a secret the operator
 * fills in later) is stood in for, and reported rather than refused: editing needs no secrets.
 */
function validate(text: string, file: string, values: Record<string, string | undefined>): string[] {
  const unset = new Set<string>();
  const env = new Proxy(values, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      const value = target[name];
      if (value !== undefined) return value;
      unset.add(name);
      // Long and plain enough for every field a secret goes in (client secrets, SCIM tokens, passwords).
      return 'unset-variable-stand-in-0123456789abcdef';
    },
  });
  parseConfigText(text, file, env);
  return [...unset].sort();
}

/**
 * One edit of a declarative file, all or nothing: the file must be valid before, the edit must
 * leave it valid, and only then is the .env file written and the YAML replaced (each through a
 * temporary file and a rename). On any refusal neither file changes.
 */
export async function editConfigFile<T>(
  file: string,
  envPath: string,
  edit: (doc: Document, envFile: EnvFile) => EditOutcome<T>,
): Promise<EditedFile<T>> {
  const text = await readConfigText(file);
  const envFile = await readEnvFile(envPath);
  const environment = { ...process.env, ...envFile.values };
  try {
    validate(text, file, environment);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    throw new CliError(`${file} has problems already; fix them first:\n${error.message}`, EXIT_INVALID_INPUT);
  }
  const doc = parseDocument(text);
  const { env, result } = edit(doc, envFile);
  const nextText = doc.toString({ lineWidth: 0 });
  const nextEnv = env.length > 0 ? withEnvValues(envFile.text, env) : envFile.text;
  let unset: string[];
  try {
    unset = validate(nextText, file, { ...process.env, ...parseEnv(nextEnv) });
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    throw new CliError(
      `the change would leave ${file} invalid, so nothing was written:\n${error.message}`,
      EXIT_INVALID_INPUT,
    );
  }
  if (nextEnv !== envFile.text) await writeFileAtomically(envPath, nextEnv, SECRET_FILE_MODE);
  await writeFileAtomically(file, nextText);
  return { result, unset };
}
