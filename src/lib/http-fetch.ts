import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What a client library passes to a fetch it was given (oauth4webapi's `customFetch`). */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  /** A stream is refused: identity providers' requests are small forms or nothing. */
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | ReadableStream | null;
  signal?: AbortSignal | null;
  /** Redirects are never followed, whatever this says: the caller sees the 3xx itself. */
  redirect?: RequestRedirect;
}

export type HttpFetch = (input: string | URL, init?: FetchInit) => Promise<Response>;

export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

// A Response for these statuses may not have a body (the Fetch standard's null body statuses).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const headersOf = (response: IncomingMessage): Array<[string, string]> => {
  const pairs: Array<[string, string]> = [];
  for (let index = 0; index < response.rawHeaders.length; index += 2)
    pairs.push([response.rawHeaders[index]!, response.rawHeaders[index + 1]!]);
  return pairs;
};

function bodyOf(body: FetchInit['body']): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof ReadableStream) throw new TypeError('a request body stream is not supported');
  return body;
}

/** A connection the server closed while idle, found closed only when reused. */
const resetOnReuse = (request: ClientRequest, error: unknown) =>
  request.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET';

/**
 * A fetch on node:http with keep-alive connections, for the server's calls to identity providers
 * (token, userinfo, discovery, JWKS) on every federated sign-in. Node's built-in fetch costs
 * about 0.4 ms of CPU more per request (web streams, abort plumbing), measured against a local
 * token endpoint; here a request is one write on a reused socket and its answer one Buffer. It
 * never follows redirects (OAuth clients ask for `redirect: 'manual'`), and refuses a body over
 * `maxBodyBytes`: an identity provider's answers are small. A request whose kept-alive connection
 * turns out to have been closed by the server is sent once more, on a new connection (the reset
 * came before any answer, so the server did not act on it).
 */
export function createHttpFetch(options: { maxBodyBytes: number }): HttpFetch {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  const send = (url: URL, init: FetchInit, body: string | Uint8Array | undefined, retry: boolean) =>
    new Promise<Response>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      let answered = false;
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers) : init.headers;
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? agents.https : agents.http,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          answered = true;
          const status = response.statusCode ?? 502;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBodyBytes) {
              response.destroy(
                new ResponseTooLargeError(
                  `${url.origin}${url.pathname} answered more than ${options.maxBodyBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () =>
            resolve(
              new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
                status,
                statusText: response.statusMessage ?? '',
                headers: headersOf(response),
              }),
            ),
          );
        },
      );
      request.on('error', (error) =>
        retry && !answered && resetOnReuse(request, error)
          ? resolve(send(url, init, body, false))
          : reject(error),
      );
      request.end(body);
    });

  return async (input, init = {}) => send(new URL(String(input)), init, bodyOf(init.body), true);
}
