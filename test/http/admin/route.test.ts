import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { defineRoute } from '../../../src/http/admin/route.js';

const handler = async () => ({ status: 204 });

describe('defineRoute', () => {
  it('refuses a params schema that does not name the path params, at definition time', () => {
    const define = () =>
      defineRoute({
        method: 'GET',
        path: '/organizations/:organization/roles/:role',
        summary: 'x',
        tags: [],
        params: z.object({ organization: z.string(), name: z.string() }),
        responses: { 204: { description: 'ok' } },
        handler,
      });
    expect(define).toThrow(/params schema declares/);
  });

  it('makes top-level input objects strict and defaults the permission from the method', () => {
    const route = defineRoute({
      method: 'PATCH',
      path: '/things/:thing',
      summary: 'x',
      tags: [],
      params: z.object({ thing: z.string() }),
      query: z.object({ dry_run: z.coerce.boolean().optional() }),
      body: z.object({ name: z.string() }),
      responses: { 204: { description: 'ok' } },
      handler,
    });
    expect(route.permission).toBe('write');
    expect(route.body?.safeParse({ name: 'a', other: 1 }).success).toBe(false);
    expect(route.query?.safeParse({ other: '1' }).success).toBe(false);
    const read = defineRoute({
      method: 'GET',
      path: '/things',
      summary: 'x',
      tags: [],
      responses: {},
      handler,
    });
    expect(read.permission).toBe('read');
  });
});
