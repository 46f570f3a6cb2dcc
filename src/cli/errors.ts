import { ConfigError } from '../config/env.js';
import { ConfigFileError } from '../config/declarative/load.js';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '../domain/errors.js';

/**
 * Exit codes, stable for scripts:
 * 1 the operation failed (database down, DNS record not found yet);
 * 2 the input was wrong (usage, environment, declarative file, a value a rule refuses);
 * 3 what the command names does not exist (organization, user, membership, domain, API key);
 * 4 it conflicts with what exists (slug taken, domain verified elsewhere, already a member);
 * 5 the principal may not do it.
 */
export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;
export const EXIT_NOT_FOUND = 3;
export const EXIT_CONFLICT = 4;
export const EXIT_FORBIDDEN = 5;

/** An error the operator can act on: printed as one message, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** Rule violations that report a failed check rather than bad input. */
const FAILED_CHECKS = new Set(['verification_failed']);

function domainExitCode(error: DomainError): number {
  if (error instanceof NotFoundError) return EXIT_NOT_FOUND;
  if (error instanceof ConflictError) return EXIT_CONFLICT;
  if (error instanceof ForbiddenError) return EXIT_FORBIDDEN;
  if (error instanceof RuleViolationError && !FAILED_CHECKS.has(error.code)) return EXIT_INVALID_INPUT;
  return EXIT_FAILURE;
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigFileError || error instanceof ConfigError) return EXIT_INVALID_INPUT;
  if (error instanceof DomainError) return domainExitCode(error);
  return EXIT_FAILURE;
}

/** `gatehouse: <message>`; a stack only for unexpected errors and only when debugging. */
export function describeError(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return `gatehouse: ${String(error)}`;
  const expected =
    error instanceof CliError ||
    error instanceof ConfigFileError ||
    error instanceof ConfigError ||
    error instanceof DomainError;
  if (expected) return `gatehouse: ${error.message}`;
  if (!debug) return `gatehouse: ${errorReason(error)}`;
  return `gatehouse: ${error.stack ?? error.message}`;
}

/**
 * The last line of a driver error: database client errors quote the failed call with its
 * arguments above the reason, and those arguments may be password hashes or sealed secrets.
 */
export function errorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'unknown error';
}
