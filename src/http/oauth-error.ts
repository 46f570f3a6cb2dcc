import type { Context } from 'koa';

/** RFC 6749 §5.2 error body; the description is for developers and never carries internals. */
export function oauthError(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}
