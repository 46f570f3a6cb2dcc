import { Agent, request } from 'node:http';

/**
 * JSON over keep-alive HTTP/1.1 on loopback, for SCIM calls (http-client.ts sends forms only).
 * node:http rather than fetch: lighter, so the driver takes less CPU from the server it measures.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export interface JsonAnswer {
  status: number;
  body: unknown;
  /** Bytes of the request body sent (0 without one). */
  sentBytes: number;
}

export interface JsonCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  token?: string;
  body?: unknown;
  /** A bulk of 1,000 users takes a while: the default leaves room for a slow machine. */
  timeoutMs?: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64 });

export function callJson(url: string, call: JsonCall = {}): Promise<JsonAnswer> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') return Promise.reject(new Error(`loopback only: ${target.host}`));
  const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
  const headers: Record<string, string> = { accept: 'application/scim+json' };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (payload) {
    headers['content-type'] = 'application/scim+json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(target, { method: call.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? (JSON.parse(text) as unknown) : undefined;
        } catch {
          // Not JSON (an HTML error page, a plain-text health answer): kept as text.
        }
        resolve({ status: res.statusCode ?? 0, body, sentBytes: payload?.length ?? 0 });
      });
      res.on('error', reject);
    });
    req.setTimeout(call.timeoutMs ?? 30_000, () => req.destroy(new Error(`${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function closeJsonConnections(): void {
  agent.destroy();
}
