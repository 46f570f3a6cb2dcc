import type { Context } from 'koa';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.js';
import { scimErrorBody, ScimError, scimErrors } from '../../domain/scim/model/index.js';

/** RFC 7644 §3.1: SCIM speaks application/scim+json. */
export function sendScim(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.type = 'application/scim+json; charset=utf-8';
  ctx.body = body;
}

/** Any failure as the SCIM error it is: the rules' errors map onto RFC 7644 §3.12's. */
export function asScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  if (error instanceof ConflictError && error.code === 'scim_uniqueness')
    return scimErrors.uniqueness(error.message);
  if (error instanceof NotFoundError) return scimErrors.notFound(error.message);
  if (error instanceof DomainError) return scimErrors.invalidValue(error.message);
  const status = (error as { status?: number }).status;
  // A body the JSON parser refused (koa-bodyparser raises 400/413/415 with `expose`).
  if (status === 413) return scimErrors.payloadTooLarge('The request body is too large.');
  if (status === 415) return new ScimError(415, 'Send application/scim+json or application/json.');
  if (status === 400) return scimErrors.invalidSyntax('The request body is not valid JSON.');
  return undefined;
}

/** Errors of every SCIM route in the RFC 7644 §3.12 body; unexpected ones as a plain 500. */
export async function scimErrorBoundary(ctx: Context, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (caught) {
    const error = asScimError(caught);
    if (error) {
      ctx.state.log?.info(
        { event: 'scim.refused', status: error.status, scimType: error.scimType, detail: error.detail },
        'SCIM request refused',
      );
      sendScim(ctx, error.status, scimErrorBody(error));
      return;
    }
    ctx.state.log?.error({ err: caught }, 'SCIM request failed');
    sendScim(ctx, 500, scimErrorBody(new ScimError(500, 'Something went wrong on our side.')));
  }
}
