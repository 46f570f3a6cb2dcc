import { describe, expect, it } from '@jest/globals';
import { listResponse, parsePagination } from '../../../../src/domain/scim/model/list-response.js';
import { failure } from '../scim-test-helpers.js';

describe('listResponse', () => {
  it('wraps a page in the RFC 7644 §3.4.2 envelope', () => {
    expect(listResponse([{ id: 'a' }, { id: 'b' }], { totalResults: 12, startIndex: 3 })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 12,
      startIndex: 3,
      itemsPerPage: 2,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('keeps Resources for an empty result, and takes itemsPerPage when given', () => {
    expect(listResponse([], { totalResults: 0, startIndex: 1, itemsPerPage: 0 })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });
});

describe('parsePagination', () => {
  it('defaults to the first page of 200, ascending', () => {
    expect(parsePagination({})).toEqual({ startIndex: 1, count: 200, sortOrder: 'ascending' });
  });

  it("reads Okta's and Entra ID's paging", () => {
    expect(parsePagination({ startIndex: '101', count: '100' })).toEqual({
      startIndex: 101,
      count: 100,
      sortOrder: 'ascending',
    });
  });

  it('reads startIndex below 1 as 1 and a negative count as 0 (RFC 7644 §3.4.2.4)', () => {
    expect(parsePagination({ startIndex: '0', count: '-5' })).toMatchObject({ startIndex: 1, count: 0 });
    expect(parsePagination({ startIndex: '-3', count: '0' })).toMatchObject({ startIndex: 1, count: 0 });
  });

  it('caps count at maxResults', () => {
    expect(parsePagination({ count: '1000' }).count).toBe(200);
    expect(parsePagination({ count: '1000' }, 50).count).toBe(50);
  });

  it('reads sortBy and sortOrder, in any case', () => {
    expect(parsePagination({ sortBy: ' meta.lastModified ', SortOrder: 'DESCENDING' })).toEqual({
      startIndex: 1,
      count: 200,
      sortBy: 'meta.lastModified',
      sortOrder: 'descending',
    });
  });

  it('refuses an invalid sortOrder, a non-integer and a repeated parameter', () => {
    expect(failure(() => parsePagination({ sortOrder: 'up' }))).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'sortOrder must be "ascending" or "descending"',
    });
    expect(failure(() => parsePagination({ count: '10.5' })).detail).toBe('count must be an integer');
    expect(failure(() => parsePagination({ startIndex: 'two' })).detail).toBe(
      'startIndex must be an integer',
    );
    expect(failure(() => parsePagination({ count: ['10', '20'] })).detail).toBe(
      'count is given more than once',
    );
  });
});
