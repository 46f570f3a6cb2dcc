import { expect } from '@jest/globals';
import type { TestGatehouse } from './gatehouse.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PROBLEMS = 'https://gatehouse.dev/problems/';

export interface AdminCall extends Omit<RequestInit, 'headers'> {
  /** The API key to send; null sends none. Defaults to the client's own key. */
  key?: string | null;
  /** JSON-encoded as the body. */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface AdminApi {
  call(path: string, init?: AdminCall): Promise<Response>;
  /** Calls and reads the JSON answer, expecting `status`. */
  expect(status: number, path: string, init?: AdminCall): Promise<Json>;
}

/** The admin API of a running Gatehouse, as a client holding `key` sees it. */
export function adminApi(gatehouse: TestGatehouse, key: string): AdminApi {
  const call = (path: string, { key: given = key, json, headers, ...init }: AdminCall = {}) => {
    const all = new Headers(headers);
    if (given !== null) all.set('Authorization', `Bearer ${given}`);
    if (json !== undefined) all.set('Content-Type', 'application/json');
    const body = json === undefined ? init.body : JSON.stringify(json);
    return fetch(`${gatehouse.url}/admin/v1${path}`, { ...init, headers: all, body });
  };
  return {
    call,
    async expect(status, path, init) {
      const response = await call(path, init);
      const text = await response.text();
      if (response.status !== status) {
        const method = init?.method ?? 'GET';
        throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${text}`);
      }
      return (text ? JSON.parse(text) : {}) as Json;
    },
  };
}

/** Asserts an RFC 9457 answer with this status (and problem code, when given) and returns it. */
export async function expectProblem(response: Response, status: number, code?: string): Promise<Json> {
  const body = (await response.json()) as Json;
  expect({ status: response.status, body }).toMatchObject({ status, body: { status } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(body).toMatchObject({ type: expect.stringMatching(`^${PROBLEMS}`), title: expect.any(String) });
  if (code) expect(body.type).toBe(`${PROBLEMS}${code}`);
  return body;
}
