import { userInfo } from 'node:os';
import type { z } from 'zod';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../domain/organizations/admin-principal.js';
import { CliError, EXIT_INVALID_INPUT } from './errors.js';

/** The operating-system account running the command; uid when it has no passwd entry (containers). */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * Whoever can run `gatehouse` against the database administers the whole environment; the audit
 * log names their operating-system account.
 */
export function cliPrincipal(): AdminPrincipal {
  return { actor: { type: 'cli', id: operatorName() }, scope: ENVIRONMENT_SCOPE };
}

/**
 * Validates command options with the same schema the admin API uses, naming the offending
 * option (`flags` maps schema fields to them) so the message points at what to retype.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  flags: Readonly<Record<string, string>>,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return `${flags[field] ?? field}: ${issue.message}`;
  });
  throw new CliError(lines.join('; '), EXIT_INVALID_INPUT);
}

/** Commander collects a repeated option (`--role a --role b`) with this. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
