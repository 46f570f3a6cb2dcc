import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { Prisma } from './prisma-client.js';

/**
 * Turns the database's constraint violations into the domain's errors. What Prisma 7 reports
 * differs by driver adapter and server version, so the SQLSTATE the adapter passes on decides:
 * - unique index: P2002 everywhere (SQLSTATE 23505); adapter-pg names the index in
 *   `constraint.index`, PGlite lists `constraint.fields` (the index name is in the message).
 * - a delete blocked by an `onDelete: Restrict` reference: PostgreSQL 15 raises 23503 (P2003),
 *   PostgreSQL 16+ and PGlite raise 23001 restrict_violation, which Prisma reports as a generic
 *   P2039 database error. Neither reports P2014 (that is Prisma's emulated relation mode).
 */
export type Violation =
  | { kind: 'unique'; constraint: string | undefined }
  | { kind: 'referenced'; constraint: string | undefined }
  | { kind: 'missing' };

interface AdapterCause {
  originalCode?: unknown;
  originalMessage?: unknown;
  constraint?: { index?: unknown };
}

function adapterCause(error: Prisma.PrismaClientKnownRequestError): AdapterCause | undefined {
  const adapterError = (error.meta as { driverAdapterError?: { cause?: unknown } } | undefined)
    ?.driverAdapterError;
  const cause = adapterError?.cause;
  return typeof cause === 'object' && cause !== null ? (cause as AdapterCause) : undefined;
}

function constraintName(cause: AdapterCause | undefined): string | undefined {
  if (typeof cause?.constraint?.index === 'string') return cause.constraint.index;
  if (typeof cause?.originalMessage !== 'string') return undefined;
  return /constraint "([^"]+)"/.exec(cause.originalMessage)?.[1];
}

/** The constraint violation behind `error`, or undefined when it is anything else. */
export function violationOf(error: unknown): Violation | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  const cause = adapterCause(error);
  const sqlState = typeof cause?.originalCode === 'string' ? cause.originalCode : undefined;
  if (error.code === 'P2025') return { kind: 'missing' };
  if (sqlState === '23505' || (sqlState === undefined && error.code === 'P2002')) {
    return { kind: 'unique', constraint: constraintName(cause) };
  }
  if (
    sqlState === '23503' ||
    sqlState === '23001' ||
    (sqlState === undefined && (error.code === 'P2003' || error.code === 'P2014'))
  ) {
    return { kind: 'referenced', constraint: constraintName(cause) };
  }
  return undefined;
}

export interface ConstraintRule {
  /** `unique`: a unique index; `referenced`: a foreign key (a delete still referenced, or an insert of a dangling reference). */
  kind: 'unique' | 'referenced';
  /** The index or constraint name (e.g. `organizations_slug_key`); omitted: any of that kind. */
  constraint?: string;
  error: () => Error;
}

/** Awaits `work`; a violation matching one of `rules` is rethrown as that rule's error. */
export async function translateConstraints<T>(
  work: Promise<T>,
  rules: readonly ConstraintRule[],
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const violation = violationOf(error);
    if (violation !== undefined && violation.kind !== 'missing') {
      const rule = rules.find(
        (candidate) =>
          candidate.kind === violation.kind &&
          (candidate.constraint === undefined || candidate.constraint === violation.constraint),
      );
      if (rule) throw rule.error();
    }
    throw error;
  }
}

/** Awaits a Prisma `update` of one row: a missing row becomes NotFoundError(`what`). */
export async function requireFound<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (violationOf(error)?.kind === 'missing') throw new NotFoundError(what);
    throw error;
  }
}

export const conflict = (message: string, code: string) => () => new ConflictError(message, code);
