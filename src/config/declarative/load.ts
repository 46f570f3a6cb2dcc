import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { expandEnvReferences } from './env-references.js';
import { declarativeConfigSchema, UNSUPPORTED_SECTIONS, type DeclarativeConfig } from './schema.js';
import { laterOrganizationKeyProblems, organizationProblems } from './organization-problems.js';
import { formatPath, positionOf } from './yaml-position.js';

export interface ConfigProblem {
  file: string;
  /** 1-based; absent when the problem is the file as a whole (unreadable). */
  line?: number;
  column?: number;
  message: string;
}

/** Everything wrong with a declarative file, each problem as `file:line:column: message`. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export function formatProblem({ file, line, column, message }: ConfigProblem): string {
  if (line === undefined) return `${file}: ${message}`;
  return `${file}:${line}:${column ?? 1}: ${message}`;
}

type EnvSource = Readonly<Record<string, string | undefined>>;

export async function loadConfigFile(path: string, env: EnvSource = process.env): Promise<DeclarativeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigFileError([{ file: path, message: `cannot read the file (${reason})` }]);
  }
  return parseConfigText(text, path, env);
}

/**
 * Parses, expands `${ENV_VAR}` references and validates. Stops at the first stage that fails, but
 * reports every problem of that stage so an operator fixes a file in one round trip.
 */
export function parseConfigText(text: string, file: string, env: EnvSource = process.env): DeclarativeConfig {
  const lines = new LineCounter();
  // prettyErrors off: its excerpts quote the source line, which may hold a literal secret.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problem = (offset: number, message: string): ConfigProblem => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, message };
  };
  fail(doc.errors.map((error) => problem(error.pos[0], error.message.split('\n')[0] ?? error.message)));
  // Sections first: references inside a section this version refuses must not be demanded.
  fail([
    ...unsupportedSectionProblems(doc, lines, file),
    ...laterOrganizationKeyProblems(doc, lines).map((found) => ({ file, ...found })),
  ]);
  fail(expandEnvReferences(doc, lines, env).map((found) => ({ file, ...found })));

  const input: unknown = doc.toJS({ maxAliasCount: 100 });
  if (input === null || input === undefined)
    fail([problem(0, 'the file is empty; it needs at least "version: 1"')]);
  const result = declarativeConfigSchema.safeParse(input);
  if (!result.success) fail(result.error.issues.flatMap((issue) => issueProblems(issue, doc, lines, file)));
  const config = result.data as DeclarativeConfig;
  const locate = (path: readonly PropertyKey[]) => positionOf(doc, lines, path);
  fail([
    ...duplicateProblems(config, doc, lines, file),
    ...organizationProblems(config.organizations, locate).map((found) => ({ file, ...found })),
  ]);
  return config;
}

function fail(problems: ConfigProblem[]): void {
  if (problems.length === 0) return;
  const sorted = [...problems].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  throw new ConfigFileError(sorted);
}

function unsupportedSectionProblems(doc: Document, lines: LineCounter, file: string): ConfigProblem[] {
  if (!isMap(doc.contents)) return [];
  const known = Object.keys(declarativeConfigSchema.shape);
  return doc.contents.items.flatMap((pair) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || known.includes(key)) return [];
    const message = UNSUPPORTED_SECTIONS[key] ?? `${key}: unknown section (expected ${known.join(', ')})`;
    return [{ file, ...positionOf(doc, lines, [key]), message }];
  });
}

function issueProblems(
  issue: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
  file: string,
): ConfigProblem[] {
  const path = fileConnectionPath(issue.path);
  issue = { ...issue, path } as z.core.$ZodIssue;
  const at = (path: readonly PropertyKey[], message: string): ConfigProblem => ({
    file,
    ...positionOf(doc, lines, path),
    message: path.length > 0 ? `${formatPath(path)}: ${message}` : message,
  });
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const future = issue.path.length === 0 ? UNSUPPORTED_SECTIONS[key] : undefined;
      const problem = at([...issue.path, key], 'unknown field');
      return future ? { ...problem, message: future } : problem;
    });
  }
  // A record key (an organization slug) that breaks its pattern: say why, not only that it is invalid.
  if (issue.code === 'invalid_key')
    return [at(issue.path, `invalid key: ${issue.issues[0]?.message ?? issue.message}`)];
  const missing = issue.code === 'invalid_type' && !doc.hasIn(issue.path);
  return [at(issue.path, missing ? 'is required' : issue.message)];
}

/** A connection's or directory's `key` is written `id` in the file: name the field the operator wrote. */
function fileConnectionPath(path: readonly PropertyKey[]): PropertyKey[] {
  return path.map((segment, index) =>
    segment === 'key' &&
    index >= 2 &&
    (path[index - 2] === 'connections' || path[index - 2] === 'directories') &&
    typeof path[index - 1] === 'number'
      ? 'id'
      : segment,
  );
}

/** Two entries for one client_id or email would make the result depend on their order: refuse. */
function duplicateProblems(
  config: DeclarativeConfig,
  doc: Document,
  lines: LineCounter,
  file: string,
): ConfigProblem[] {
  const check = (section: 'clients' | 'users', field: string, keys: string[]): ConfigProblem[] => {
    const firstLine = new Map<string, number>();
    return keys.flatMap((key, index) => {
      const position = positionOf(doc, lines, [section, index, field]);
      const first = firstLine.get(key);
      if (first === undefined) {
        firstLine.set(key, position.line);
        return [];
      }
      return [
        {
          file,
          ...position,
          message: `${section}[${index}].${field}: "${key}" is already defined on line ${first}`,
        },
      ];
    });
  };
  return [
    ...check(
      'clients',
      'client_id',
      config.clients.map((client) => client.client_id),
    ),
    ...check(
      'users',
      'email',
      config.users.map((user) => user.email),
    ),
  ];
}
