import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startWidgetsApp, type WidgetsApp } from './widgets-app.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('admin API: openapi.json', () => {
  let app: WidgetsApp;
  let doc: Json;
  beforeAll(async () => {
    app = await startWidgetsApp();
    const response = await app.call('/openapi.json', { key: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await response.json()) as Json;
  });
  afterAll(() => app.close());

  it('is an OpenAPI 3.1 document served without authentication', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: '/admin/v1' }]);
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    // Every $ref points at something the document defines.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.split('/').reduce<Json | undefined>((node, key) => node?.[key], doc);
      expect([ref, target]).toEqual([ref, expect.anything()]);
    }
  });

  it('has path params in {param} syntax, query params and request bodies from the zod schemas', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/widgets', '/widgets/{widget}']);
    const get = doc.paths['/widgets/{widget}'].get;
    expect(get.parameters).toEqual([
      { name: 'widget', in: 'path', required: true, schema: expect.any(Object) },
    ]);
    expect(doc.paths['/widgets/{widget}'].delete.parameters).toEqual([
      { name: 'widget', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    const list = doc.paths['/widgets'].get;
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'limit', in: 'query', required: false }),
        expect.objectContaining({ name: 'cursor', in: 'query', required: false }),
        expect.objectContaining({ name: 'color', in: 'query', required: false }),
      ]),
    );
    const create = doc.paths['/widgets'].post;
    expect(create.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/NewWidget',
    });
    const body = doc.components.schemas.NewWidget;
    expect(body).toMatchObject({ type: 'object', required: ['name'], additionalProperties: false });
    expect(body.$schema).toBeUndefined();
    expect(create['x-permission']).toBe('write');
    expect(list['x-permission']).toBe('read');
    const operations = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap(
      Object.values,
    );
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(4);
  });

  it('describes responses, with named schemas shared and errors as problem+json', () => {
    expect(doc.components.schemas.Widget).toMatchObject({ type: 'object' });
    const created = doc.paths['/widgets'].post.responses;
    expect(created['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Widget',
    });
    expect(created['409'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(created['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    // A write refuses a read-only key; a read does not.
    expect(created['403']).toEqual({ $ref: '#/components/responses/ReadOnlyKey' });
    expect(doc.paths['/widgets'].get.responses['403']).toBeUndefined();
    expect(created.default).toEqual({ $ref: '#/components/responses/Problem' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
    const page = doc.paths['/widgets'].get.responses['200'].content['application/json'].schema;
    expect(page.properties.data.items).toEqual({ $ref: '#/components/schemas/Widget' });
  });
});
