import { describe, expect, it } from '@jest/globals';
import { bulkResponse, parseBulkRequest } from '../../../../src/domain/scim/model/bulk.js';
import { scimErrors } from '../../../../src/domain/scim/model/scim-error.js';
import { failure, USER_SCHEMA_ID } from '../scim-test-helpers.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

// RFC 7644 §3.7.1, shortened: a create, a replace guarded by version, a patch and a delete.
const REQUEST = {
  schemas: [BULK_REQUEST],
  failOnErrors: 1,
  Operations: [
    {
      method: 'POST',
      path: '/Users',
      bulkId: 'qwerty',
      data: { schemas: [USER_SCHEMA_ID], userName: 'Alice' },
    },
    {
      method: 'PUT',
      path: '/Users/b7c14771-226c-4d05-8860-134711653041',
      version: 'W/"3694e05e9dff591"',
      data: { schemas: [USER_SCHEMA_ID], id: 'b7c14771-226c-4d05-8860-134711653041', userName: 'Bob' },
    },
    {
      method: 'patch',
      path: '/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
      data: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:qwerty' }] }],
      },
    },
    { method: 'DELETE', path: '/Users/e9025315-6bea-44e1-899c-1e07454e468b', data: { ignored: true } },
  ],
};

describe('parseBulkRequest', () => {
  it('reads the RFC 7644 §3.7 envelope', () => {
    expect(parseBulkRequest(REQUEST, 2048)).toEqual({
      failOnErrors: 1,
      operations: [
        {
          method: 'POST',
          bulkId: 'qwerty',
          path: '/Users',
          data: { schemas: [USER_SCHEMA_ID], userName: 'Alice' },
        },
        {
          method: 'PUT',
          path: '/Users/b7c14771-226c-4d05-8860-134711653041',
          data: { schemas: [USER_SCHEMA_ID], id: 'b7c14771-226c-4d05-8860-134711653041', userName: 'Bob' },
          version: 'W/"3694e05e9dff591"',
        },
        {
          method: 'PATCH',
          path: '/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
          data: REQUEST.Operations[2]?.data,
        },
        { method: 'DELETE', path: '/Users/e9025315-6bea-44e1-899c-1e07454e468b' },
      ],
    });
  });

  it('leaves failOnErrors out when the client does', () => {
    const { failOnErrors: _failOnErrors, ...rest } = REQUEST;
    expect(parseBulkRequest(rest)).not.toHaveProperty('failOnErrors');
  });

  it('refuses a request without the BulkRequest schema', () => {
    expect(failure(() => parseBulkRequest({ ...REQUEST, schemas: [USER_SCHEMA_ID] }))).toEqual({
      status: 400,
      scimType: 'invalidSyntax',
      detail: `schemas must include ${BULK_REQUEST}`,
    });
    expect(failure(() => parseBulkRequest('[]')).scimType).toBe('invalidSyntax');
  });

  it('answers 413 past 1,000 operations or 1 MiB, as RFC 7644 §3.7.4 shows', () => {
    const operation = { method: 'DELETE', path: '/Users/x' };
    expect(
      parseBulkRequest({ schemas: [BULK_REQUEST], Operations: Array(1000).fill(operation) }).operations,
    ).toHaveLength(1000);
    expect(
      failure(() => parseBulkRequest({ schemas: [BULK_REQUEST], Operations: Array(1001).fill(operation) })),
    ).toEqual({
      status: 413,
      scimType: undefined,
      detail: 'The number of operations exceeds the maxOperations (1000).',
    });
    expect(failure(() => parseBulkRequest(REQUEST, 1024 * 1024 + 1))).toEqual({
      status: 413,
      scimType: undefined,
      detail: 'The size of the bulk operation exceeds the maxPayloadSize (1048576).',
    });
  });

  it('refuses malformed operations, naming the first', () => {
    const operations = (operation: Record<string, unknown>) => ({
      schemas: [BULK_REQUEST],
      Operations: [operation],
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ method: 'POST', path: '/Users', data: {} }, 'Operations[0].bulkId is required for POST'],
      [
        { method: 'POST', bulkId: 'a', path: '/Users/1', data: {} },
        'Operations[0].path must name a resource endpoint, e.g. /Users',
      ],
      [
        { method: 'PUT', path: '/Users', data: {} },
        'Operations[0].path must name one resource, e.g. /Users/<id>',
      ],
      [{ method: 'PATCH', path: '/Users/1' }, 'Operations[0].data is required for PATCH'],
      [{ method: 'GET', path: '/Users/1' }, 'Operations[0].method must be POST, PUT, PATCH or DELETE'],
      [{ method: 'DELETE' }, 'Operations[0].path is required'],
      [{ method: 'PUT', path: '/Users/1', data: 'x' }, 'Operations[0].data must be a JSON object'],
    ];
    for (const [operation, detail] of cases) {
      expect(failure(() => parseBulkRequest(operations(operation)))).toEqual({
        status: 400,
        scimType: 'invalidSyntax',
        detail,
      });
    }
    expect(failure(() => parseBulkRequest({ schemas: [BULK_REQUEST], Operations: [] })).detail).toBe(
      'Operations must not be empty',
    );
    expect(failure(() => parseBulkRequest({ ...REQUEST, failOnErrors: 0 })).detail).toBe(
      'failOnErrors must be at least 1',
    );
    expect(failure(() => parseBulkRequest({ ...REQUEST, failOnErrors: 1.5 })).detail).toBe(
      'failOnErrors must be an integer',
    );
  });

  it('refuses a bulkId used twice', () => {
    const create = { method: 'POST', path: '/Users', bulkId: 'same', data: {} };
    expect(
      failure(() => parseBulkRequest({ schemas: [BULK_REQUEST], Operations: [create, create] })),
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'bulkId same is used twice',
    });
  });
});

describe('bulkResponse', () => {
  it('builds the RFC 7644 §3.7.3 response, statuses as strings, errors as Error bodies', () => {
    expect(
      bulkResponse([
        {
          method: 'POST',
          bulkId: 'qwerty',
          location: 'https://example.com/v2/Users/92b725cd',
          version: 'W/"1"',
          status: 201,
        },
        { method: 'DELETE', status: 204 },
        { method: 'POST', bulkId: 'ytrewq', error: scimErrors.uniqueness('userName Alice is taken.') },
      ]),
    ).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: [
        {
          method: 'POST',
          bulkId: 'qwerty',
          location: 'https://example.com/v2/Users/92b725cd',
          version: 'W/"1"',
          status: '201',
        },
        { method: 'DELETE', status: '204' },
        {
          method: 'POST',
          bulkId: 'ytrewq',
          status: '409',
          response: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '409',
            scimType: 'uniqueness',
            detail: 'userName Alice is taken.',
          },
        },
      ],
    });
  });
});
