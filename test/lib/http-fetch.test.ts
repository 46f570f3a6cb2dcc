import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpFetch, ResponseTooLargeError } from '../../src/lib/http-fetch.js';

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });

describe('the node:http fetch for identity providers', () => {
  let server!: Server;
  let base!: string;
  let connections = 0;
  const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
    '/token': async (request, response) => {
      const body = await readBody(request);
      response.setHeader('content-type', 'application/json');
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.end(JSON.stringify({ method: request.method, type: request.headers['content-type'], body }));
    },
    '/empty': (_request, response) => {
      response.statusCode = 204;
      response.end();
    },
    '/moved': (_request, response) => {
      response.statusCode = 302;
      response.setHeader('location', '/token');
      response.end('see /token');
    },
    '/large': (_request, response) => response.end('x'.repeat(4096)),
    '/slow': () => undefined,
    // Closes a kept-alive connection on its second request, unanswered (an idle timeout's race).
    '/flaky': (request, response) => {
      const socket = request.socket as typeof request.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served > 1) socket.destroy();
      else response.end(`first on this connection`);
    },
  };

  beforeAll(async () => {
    server = createServer((request, response) => routes[request.url ?? '']?.(request, response));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const fetchUpTo1k = createHttpFetch({ maxBodyBytes: 1024 });

  it('posts a form and answers a Response with the status, every header and the body', async () => {
    const response = await fetchUpTo1k(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c 1' }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      body: 'grant_type=authorization_code&code=c+1',
    });
  });

  it('sends bytes as they are and keeps the connection for the next request', async () => {
    const before = connections;
    const sent = await fetchUpTo1k(new URL(`${base}/token`), {
      method: 'POST',
      headers: new Headers({ 'content-type': 'text/plain' }),
      body: new TextEncoder().encode('raw').buffer,
    });
    expect(((await sent.json()) as { body: string }).body).toBe('raw');
    await (await fetchUpTo1k(`${base}/token`)).text();
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('answers a bodiless status without a body and never follows a redirect', async () => {
    const empty = await fetchUpTo1k(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const moved = await fetchUpTo1k(`${base}/moved`, { redirect: 'manual' });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('/token');
  });

  it('refuses an answer over the size limit, a body stream, and stops at the signal', async () => {
    await expect(fetchUpTo1k(`${base}/large`)).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(
      fetchUpTo1k(`${base}/token`, { method: 'POST', body: new ReadableStream() }),
    ).rejects.toThrow('a request body stream is not supported');
    await expect(fetchUpTo1k(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: expect.stringMatching(/AbortError|TimeoutError/),
    });
  });

  it('sends a request again on a new connection when the kept-alive one was closed unanswered', async () => {
    const fetchOwn = createHttpFetch({ maxBodyBytes: 1024 });
    expect(await (await fetchOwn(`${base}/flaky`)).text()).toBe('first on this connection');
    const before = connections;
    expect(await (await fetchOwn(`${base}/flaky`)).text()).toBe('first on this connection');
    expect(connections - before).toBe(1);
  });
});
