import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
} from '../../domain/errors.js';
import { RoutingRulesError } from '../../domain/organizations/routing-settings.js';
import { RoleRulesError } from '../../domain/provisioning/role-rules.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Every problem type is `<base><code>`, the code being the stable reason (`not_found`, `slug_taken`). */
export const PROBLEM_TYPE_BASE = 'https://gatehouse.dev/problems/';
const GENERIC = 'An unexpected error occurred. Quote the instance value when reporting it.';

export interface FieldError {
  path: string;
  message: string;
  /** 1-based, where the value is an expression that failed to parse (a role rule condition). */
  column?: number;
}

/** RFC 9457 §3.1 members, plus the extensions this API uses. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  field?: string;
}

/** A failure the HTTP layer itself decides (401, 405, a bad cursor, an idempotency conflict). */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }
}

interface ProblemSpec {
  status: number;
  code: string;
  detail: string;
  extensions?: Pick<ProblemDetails, 'errors' | 'field'>;
  headers?: Record<string, string>;
}

export function writeProblem(ctx: Context, spec: ProblemSpec): void {
  const { status, code, detail } = spec;
  // RFC 9457 §3.1.3: the title belongs to the type, so it must not vary with the occurrence.
  const title = STATUS_CODES[status] ?? 'Error';
  const problem: ProblemDetails = {
    type: PROBLEM_TYPE_BASE + code,
    title,
    status,
    detail,
    ...spec.extensions,
  };
  if (typeof ctx.state.requestId === 'string') problem.instance = ctx.state.requestId;
  ctx.status = status;
  ctx.set({ ...spec.headers, 'Cache-Control': 'no-store' });
  ctx.body = problem;
  ctx.type = PROBLEM_CONTENT_TYPE;
}

/** One entry per offending field; an unknown key is reported at its own path. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = (keys: PropertyKey[]) => keys.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'Unknown field' }));
    }
    return [{ path: at(issue.path), message: issue.message }];
  });
}

interface HttpLikeError {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
}

function toProblem(error: unknown): ProblemSpec | undefined {
  if (error instanceof ProblemError) {
    return { status: error.status, code: error.code, detail: error.message, headers: error.headers };
  }
  if (error instanceof z.ZodError) {
    const extensions = { errors: fieldErrors(error) };
    return { status: 400, code: 'invalid_request', detail: 'The request is not valid.', extensions };
  }
  const listed = listedProblems(error);
  if (listed) return listed;
  if (error instanceof DomainError) return domainProblem(error);
  // Body parser failures (http-errors from raw-body and co-body): say what, never echo the body.
  const { status, expose, type } = (error ?? {}) as HttpLikeError;
  if (status === 413) {
    // The rest of the body is still on its way: closing beats reading it only to throw it away.
    const headers = { Connection: 'close' };
    return { status, code: 'payload_too_large', detail: 'The request body is too large.', headers };
  }
  if (status === 400 && (error instanceof SyntaxError || type === 'entity.parse.failed')) {
    return { status, code: 'malformed_json', detail: 'The request body is not valid JSON.' };
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
    return { status, code: 'invalid_request', detail: (error as Error).message };
  }
  return undefined;
}

/** Rule lists checked as a whole answer 422 with every bad entry, each at its own path. */
function listedProblems(error: unknown): ProblemSpec | undefined {
  let errors: FieldError[];
  if (error instanceof RoleRulesError) {
    errors = error.problems.map(({ index, field, message, column }) => ({
      path: `role_rules.${index}.${field}`,
      message,
      ...(column === undefined ? {} : { column }),
    }));
  } else if (error instanceof RoutingRulesError) {
    errors = error.problems.map(({ index, field, message }) => ({
      path: index === undefined ? field : `rules.${index}.${field}`,
      message,
    }));
  } else return undefined;
  return { status: 422, code: error.code, detail: error.message, extensions: { errors } };
}

function domainProblem(error: DomainError): ProblemSpec {
  const { code, message: detail } = error;
  if (error instanceof NotFoundError) return { status: 404, code, detail };
  if (error instanceof ConflictError) return { status: 409, code, detail };
  if (error instanceof ForbiddenError) return { status: 403, code, detail };
  if (error instanceof RuleViolationError && error.field !== undefined) {
    return { status: 422, code, detail, extensions: { field: error.field } };
  }
  // A rule failure without a more specific class is still the caller's input breaking a rule.
  return { status: 422, code, detail };
}

/**
 * Answers everything thrown below it as problem+json; the log (the request's own, else `logger`)
 * gets the cause of a 500.
 */
export function problemErrors(logger?: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const spec = toProblem(error);
      if (spec) return writeProblem(ctx, spec);
      const log = (ctx.state.log as Logger | undefined) ?? logger;
      log?.error({ err: error }, 'admin request failed');
      writeProblem(ctx, { status: 500, code: 'internal_error', detail: GENERIC });
    }
  };
}
