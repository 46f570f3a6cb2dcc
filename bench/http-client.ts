import { Agent, request } from 'node:http';

/**
 * A small keep-alive HTTP/1.1 client on node:http, loopback only. Lighter than fetch, so the
 * load driver takes less of the two cores away from the server under test.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

const REQUEST_TIMEOUT_MS = 30_000;
const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

export function send(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') return Promise.reject(new Error(`loopback only: ${target.host}`));
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const headers: Record<string, string> = { ...init.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POSTs a form to the token endpoint family with client_secret_basic and returns the JSON body. */
export async function postForClient(
  url: string,
  client: { id: string; secret: string },
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const response = await send(url, { headers: { authorization: basicAuth(client.id, client.secret) }, form });
  if (response.status !== 200)
    throw new Error(`${url} answered ${response.status}: ${response.body.slice(0, 200)}`);
  return JSON.parse(response.body) as Record<string, unknown>;
}

export function closeConnections(): void {
  agent.destroy();
}
