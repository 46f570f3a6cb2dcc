import { ConfigError } from '../config/env.js';
import { ConfigFileError } from '../config/declarative/load.js';

/** 2: the input was wrong (usage, environment, declarative file); 1: the operation failed. */
export const EXIT_INVALID_INPUT = 2;
export const EXIT_FAILURE = 1;

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

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ConfigFileError || error instanceof ConfigError) return EXIT_INVALID_INPUT;
  return EXIT_FAILURE;
}

/** `gatehouse: <message>`; a stack only for unexpected errors and only when debugging. */
export function describeError(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return `gatehouse: ${String(error)}`;
  const expected =
    error instanceof CliError || error instanceof ConfigFileError || error instanceof ConfigError;
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
