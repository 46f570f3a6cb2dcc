import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, paginate } from '../../../src/http/admin/pagination.js';
import { ProblemError } from '../../../src/http/admin/problem.js';
import { startWidgetsApp, type WidgetsApp } from './widgets-app.js';

interface Page {
  data: Array<{ id: string; name: string }>;
  next_cursor: string | null;
}

describe('admin API: cursor pagination', () => {
  let app: WidgetsApp;
  beforeAll(async () => {
    app = await startWidgetsApp();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      expect((await app.call('/widgets', { method: 'POST', json: { name } })).status).toBe(201);
    }
  });
  afterAll(() => app.close());

  it('walks 5 items 2 at a time in 3 pages, the last without a next cursor', async () => {
    const pages: Page[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const response = await app.call(`/widgets?limit=2${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      pages.push(page);
      cursor = page.next_cursor;
    }
    expect(pages.map((page) => page.data.map((w) => w.name))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(pages[0]?.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('uses 50 when no limit is given, and filters still apply', async () => {
    const page = (await (await app.call('/widgets?color=red')).json()) as Page;
    expect(page.data).toHaveLength(5);
    expect(page.next_cursor).toBeNull();
  });

  it('answers 400 problem for a tampered or undecodable cursor', async () => {
    const first = (await (await app.call('/widgets?limit=2')).json()) as Page;
    const tampered = `${first.next_cursor!.slice(0, -2)}!x`;
    for (const cursor of [
      tampered,
      'not-a-cursor',
      encodeURIComponent(Buffer.from('{"before":"w1"}').toString('base64url')),
    ]) {
      const response = await app.call(`/widgets?limit=2&cursor=${cursor}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ type: 'https://gatehouse.dev/problems/invalid_cursor' });
    }
  });
});

describe('paginate', () => {
  const rows = ['r1', 'r2', 'r3'].map((id) => ({ id }));

  it('asks for one more row than the page to know whether another page exists', async () => {
    const asked: Array<{ after?: string | undefined; limit: number }> = [];
    const fetch = async (page: { after?: string | undefined; limit: number }) => {
      asked.push(page);
      return rows.filter((r) => page.after === undefined || r.id > page.after).slice(0, page.limit);
    };
    const first = await paginate({ limit: 2 }, fetch);
    expect(first.data).toEqual([{ id: 'r1' }, { id: 'r2' }]);
    expect(decodeCursor(first.next_cursor!)).toBe('r2');
    const second = await paginate({ limit: 2, cursor: first.next_cursor! }, fetch);
    expect(second).toEqual({ data: [{ id: 'r3' }], next_cursor: null });
    expect(asked).toEqual([
      { after: undefined, limit: 3 },
      { after: 'r2', limit: 3 },
    ]);
    // Exactly a full last page: no phantom empty page after it.
    expect((await paginate({ limit: 3 }, fetch)).next_cursor).toBeNull();
  });

  it('round-trips cursors and refuses anything else as a ProblemError', () => {
    expect(decodeCursor(encodeCursor('org_01J'))).toBe('org_01J');
    expect(() => decodeCursor('%%%')).toThrow(ProblemError);
    expect(() => decodeCursor(Buffer.from('{"after":5}').toString('base64url'))).toThrow(ProblemError);
  });
});
