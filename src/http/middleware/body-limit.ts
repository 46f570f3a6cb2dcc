import type { Middleware } from 'koa';
import { ADMIN_PREFIX } from '../admin/admin-router.js';
import { writeProblem } from '../admin/problem.js';
import { BULK_MAX_PAYLOAD_BYTES, scimErrorBody, scimErrors } from '../../domain/scim/model/index.js';
import { oauthError } from '../oauth-error.js';
import { sendScim } from '../scim/scim-failure.js';
import { SCIM_PREFIX } from '../scim/scim-prefix.js';

/**
 * Refuses a body larger than the limit before anyone reads it: declared lengths are checked here,
 * streamed (chunked) bodies are cut by each body parser's own limit. Each API answers in its own
 * error format: RFC 9457 problem details for the admin API, RFC 7644 §3.12 for SCIM, RFC 6749
 * §5.2 JSON elsewhere.
 */
export function bodyLimit(defaultMaxBytes: number): Middleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length') || 0);
    // SCIM /Bulk carries up to maxPayloadSize (RFC 7644 §3.7.4, advertised in ServiceProviderConfig).
    const scim = ctx.path.startsWith(`${SCIM_PREFIX}/`);
    const maxBytes = scim ? Math.max(defaultMaxBytes, BULK_MAX_PAYLOAD_BYTES) : defaultMaxBytes;
    if (declared > maxBytes) {
      const detail = `The request body exceeds ${maxBytes} bytes.`;
      // The rest of the body is still on its way: closing beats reading it only to throw it away.
      const headers = { Connection: 'close' };
      if (scim) {
        sendScim(ctx, 413, scimErrorBody(scimErrors.payloadTooLarge(detail)));
        ctx.set(headers);
        return;
      }
      if (ctx.path === ADMIN_PREFIX || ctx.path.startsWith(`${ADMIN_PREFIX}/`)) {
        writeProblem(ctx, { status: 413, code: 'payload_too_large', detail, headers });
        return;
      }
      oauthError(ctx, 413, 'invalid_request', `request body exceeds ${maxBytes} bytes`);
      ctx.set(headers);
      return;
    }
    await next();
  };
}
