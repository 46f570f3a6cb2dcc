import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KEYS, startWidgetsApp, type WidgetsApp } from './widgets-app.js';

const PROBLEMS = 'https://gatehouse.dev/problems/';

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  // instance is the request id, so a support request can find the log line.
  expect(body.instance).toBe(response.headers.get('x-request-id'));
  return body;
}

describe('admin API: errors as RFC 9457 problem details', () => {
  let app: WidgetsApp;
  beforeAll(async () => {
    app = await startWidgetsApp();
  });
  afterAll(() => app.close());

  it('400 lists each unknown field and each wrong type, with where it was', async () => {
    const body = await problem(
      await app.call('/widgets', { method: 'POST', json: { name: 42, colour: 'red', extra: true } }),
      400,
    );
    expect(body.type).toBe(`${PROBLEMS}invalid_request`);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.name', message: expect.stringContaining('expected string') },
        { path: 'body.colour', message: 'Unknown field' },
        { path: 'body.extra', message: 'Unknown field' },
      ]),
    );
    expect(body.errors).toHaveLength(3);
  });

  it('400 for a query parameter out of range or unknown', async () => {
    const body = await problem(await app.call('/widgets?limit=500&sort=name'), 400);
    expect(body.errors).toEqual([
      { path: 'query.limit', message: expect.any(String) },
      { path: 'query.sort', message: 'Unknown field' },
    ]);
  });

  it('400 for a body that is not JSON, 415 for one that is not declared as JSON', async () => {
    const malformed = await app.call('/widgets', {
      method: 'POST',
      body: '{"name": "x",',
      headers: { 'Content-Type': 'application/json' },
    });
    expect((await problem(malformed, 400)).type).toBe(`${PROBLEMS}malformed_json`);
    const form = await app.call('/widgets', {
      method: 'POST',
      body: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect((await problem(form, 415)).type).toBe(`${PROBLEMS}unsupported_media_type`);
  });

  it('401 with a Bearer challenge when the key is missing or unknown', async () => {
    const missing = await app.call('/widgets', { key: null });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse-admin"');
    expect((await problem(missing, 401)).type).toBe(`${PROBLEMS}unauthorized`);

    for (const key of ['gh_unknown_key', 'eyJhbGciOiJSUzI1NiJ9.e30.sig']) {
      const unknown = await app.call('/widgets', { key });
      expect(unknown.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="gatehouse-admin", error="invalid_token", error_description="[^"]+"$/,
      );
      expect((await problem(unknown, 401)).type).toBe(`${PROBLEMS}invalid_api_key`);
    }
    const basic = await app.call('/widgets', { key: null, headers: { Authorization: 'Basic Z2g6eA==' } });
    await problem(basic, 401);
  });

  it('403 when the principal lacks the permission the route needs', async () => {
    const body = await problem(
      await app.call('/widgets', { method: 'POST', key: KEYS.reader, json: { name: 'nope' } }),
      403,
    );
    expect(body.type).toBe(`${PROBLEMS}forbidden`);
    expect((await app.call('/widgets', { key: KEYS.reader })).status).toBe(200);
  });

  it('404 for an unknown id (NotFoundError) and for an unknown route', async () => {
    const body = await problem(await app.call('/widgets/w9999'), 404);
    expect(body).toMatchObject({ type: `${PROBLEMS}not_found`, detail: 'Widget was not found' });
    const route = await problem(await app.call('/gadgets/1'), 404);
    expect(route.type).toBe(`${PROBLEMS}route_not_found`);
  });

  it('405 with Allow for a method the path does not have', async () => {
    const response = await app.call('/widgets/w0001', { method: 'PUT', json: { name: 'x' } });
    expect(response.headers.get('allow')).toBe('HEAD, GET, DELETE');
    expect((await problem(response, 405)).type).toBe(`${PROBLEMS}method_not_allowed`);
    const options = await app.call('/widgets', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('HEAD, GET, POST');
  });

  it('409 and 422 from domain errors keep their code, and 422 names the field', async () => {
    expect((await app.call('/widgets', { method: 'POST', json: { name: 'dup' } })).status).toBe(201);
    const conflict = await problem(
      await app.call('/widgets', { method: 'POST', json: { name: 'dup' } }),
      409,
    );
    expect(conflict).toMatchObject({
      type: `${PROBLEMS}widget_name_taken`,
      detail: 'A widget named dup exists.',
    });
    const rule = await problem(await app.call('/widgets', { method: 'POST', json: { name: 'admin' } }), 422);
    expect(rule).toMatchObject({ type: `${PROBLEMS}reserved_name`, field: 'name' });
  });

  it('413 for a body over the limit', async () => {
    const body = await problem(
      await app.call('/widgets', { method: 'POST', json: { name: 'x'.repeat(70 * 1024) } }),
      413,
    );
    expect(body.type).toBe(`${PROBLEMS}payload_too_large`);
  });

  it('500 says nothing of the cause, and the log has it with the request id', async () => {
    const response = await app.call('/widgets', { method: 'POST', json: { name: 'explode' } });
    const body = await problem(response, 500);
    expect(body.type).toBe(`${PROBLEMS}internal_error`);
    expect(JSON.stringify(body)).not.toMatch(/hunter2|db-primary/);
    const line = app.logs.text.split('\n').find((l) => l.includes('admin request failed'));
    expect(line).toContain('db-primary');
    expect(line).toContain(String(body.instance));
  });

  it('answers successes with Cache-Control: no-store and Location on create', async () => {
    const response = await app.call('/widgets', { method: 'POST', json: { name: 'located', color: 'blue' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const widget = (await response.json()) as { id: string };
    expect(response.headers.get('location')).toBe(`/admin/v1/widgets/${widget.id}`);
    expect(await (await app.call(`/widgets/${widget.id}`)).json()).toEqual({ ...widget, name: 'located' });
  });
});
