import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { decodeJwt } from 'jose';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
export type TokenContext = Parameters<Middleware>[0];
export type TokenParams = Record<string, string | string[] | undefined>;

/** oidc-provider's own limit for a token request body (lib/shared/selective_body.js). */
const MAX_BODY_BYTES = 56 * 1024;

/**
 * The form of a token request, read once for the checks that run before the token endpoint
 * (network-policy.ts, organization-token-rate-limit.ts). It is left on ctx.request.body, where
 * oidc-provider takes a body parsed upstream (selective_body.js) and the next check finds it.
 * `too_large`: past oidc-provider's own limit; undefined: not a form.
 */
export async function tokenRequestForm(ctx: TokenContext): Promise<TokenParams | 'too_large' | undefined> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed && typeof parsed === 'object') return parsed as TokenParams;
  if (!ctx.is('application/x-www-form-urlencoded') || !ctx.req.readable) return undefined;
  const body = await readBody(ctx.req, MAX_BODY_BYTES);
  if (body === 'too_large') return body;
  const params = parseQuery(body.toString('utf8')) as TokenParams;
  (ctx.request as { body?: unknown }).body = params;
  return params;
}

/**
 * The body, or `too_large` past `limit` bytes (the rest is left unread, for Node to discard once
 * the refusal is sent). Read through 'data' events: an async iterator over the request costs
 * several times as much per request, at every token request.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else
        settle(() => {
          req.pause();
          resolve('too_large');
        });
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, size)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () => settle(() => reject(new Error('the request was closed before its body ended')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** A parameter given once (a repeated one is oidc-provider's to refuse). */
export const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * The client of a token request: HTTP Basic (RFC 6749 §2.3.1, form-encoded id), the form's
 * `client_id`, or a client assertion's issuer (RFC 7523). Read only to pick a rule: the token
 * endpoint still authenticates the client itself.
 */
export function tokenRequestClientId(ctx: TokenContext, params: TokenParams | undefined): string | undefined {
  const basic = /^Basic (.+)$/i.exec(ctx.get('authorization'))?.[1];
  if (basic) {
    const id = Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
    try {
      return decodeURIComponent(id.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  const explicit = one(params?.client_id);
  if (explicit) return explicit;
  const assertion = one(params?.client_assertion);
  try {
    return assertion ? decodeJwt(assertion).iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client a token request names (tokenRequestClientId), for the checks before the token
 * endpoint. The lookup of an unchanged client is two map reads (client-lookup.ts).
 */
export function tokenRequestClient(
  provider: OidcProvider,
  ctx: TokenContext,
  params: TokenParams | undefined,
) {
  const clientId = tokenRequestClientId(ctx, params);
  return clientId ? provider.Client.find(clientId) : Promise.resolve(undefined);
}
