import { describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { createListCursors } from '../../../src/domain/directories/list-cursors.js';
import type { ScimQuery } from '../../../src/domain/ports/directories.js';

describe('SCIM list cursors', () => {
  const query = (startIndex: number, extra: Partial<ScimQuery> = {}): ScimQuery => ({
    startIndex,
    count: 2,
    sortOrder: 'ascending',
    ...extra,
  });

  it('knows the total and where the next page starts, until the directory changes', async () => {
    const cursors = createListCursors(createMemoryEphemeralStore());
    const first = await cursors.hints('dir_a', 'users', query(1));
    expect(first.hints).toEqual({});
    await cursors.remember(first.key, query(1), { totalResults: 5, ids: ['a', 'b'] });
    expect((await cursors.hints('dir_a', 'users', query(3))).hints).toEqual({ total: 5, afterId: 'b' });
    // Another list (another filter, or groups) and another directory learnt nothing.
    expect((await cursors.hints('dir_a', 'groups', query(3))).hints).toEqual({});
    expect((await cursors.hints('dir_b', 'users', query(3))).hints).toEqual({});
    // A first page always counts afresh; sortBy pages have no id boundary.
    expect((await cursors.hints('dir_a', 'users', query(1))).hints).toEqual({});
    const sorted = await cursors.hints('dir_a', 'users', query(1, { sortBy: 'userName' }));
    await cursors.remember(sorted.key, query(1, { sortBy: 'userName' }), {
      totalResults: 5,
      ids: ['x', 'y'],
    });
    expect((await cursors.hints('dir_a', 'users', query(3, { sortBy: 'userName' }))).hints).toEqual({
      total: 5,
    });

    // A short page has no page after it to prepare for.
    const short = await cursors.hints('dir_c', 'users', query(1));
    await cursors.remember(short.key, query(1), { totalResults: 1, ids: ['only'] });
    expect((await cursors.hints('dir_c', 'users', query(3))).hints).toEqual({});

    await cursors.touch('dir_a');
    expect((await cursors.hints('dir_a', 'users', query(3))).hints).toEqual({});
  });
});
