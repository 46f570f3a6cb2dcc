import { describe, expect, it } from '@jest/globals';
import {
  applyPatch,
  PATCH_LIMITS,
  validatePatchRequest,
} from '../../../../src/domain/scim/expressions/index.js';
import type { ScimType } from '../../../../src/domain/scim/model/scim-error.js';
import { bjensen, ENTERPRISE, PATCH_OP, scimError, tourGuides } from '../scim-test-helpers.js';

describe('validatePatchRequest: the envelope (RFC 7644 §3.5.2)', () => {
  it('returns the operations, normalised', () => {
    expect(
      validatePatchRequest({
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Add', path: 'members', value: [{ value: 'x' }], name: 'addMember' },
          { op: 'remove', path: ' title ' },
          { op: 'replace', path: null, value: { active: false } },
          { op: 'Remove', path: 'members', value: [{ value: 'y' }] },
        ],
      }),
    ).toEqual([
      { op: 'add', path: 'members', value: [{ value: 'x' }] },
      { op: 'remove', path: 'title' },
      { op: 'replace', value: { active: false } },
      { op: 'remove', path: 'members', value: [{ value: 'y' }] },
    ]);
  });

  it.each<[string, unknown, string]>([
    ['a body that is not an object', [], 'the PATCH body must be a JSON object'],
    ['no schemas', { Operations: [{ op: 'add', value: {} }] }, `'schemas' must contain "${PATCH_OP}"`],
    [
      'the wrong schema',
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', value: {} }] },
      `'schemas' must contain "${PATCH_OP}"`,
    ],
    [
      'schemas as a string',
      { schemas: PATCH_OP, Operations: [{ op: 'add', value: {} }] },
      `'schemas' must contain`,
    ],
    ['no Operations', { schemas: [PATCH_OP] }, `'Operations' must be an array of operations`],
    [
      'Operations as an object',
      { schemas: [PATCH_OP], Operations: { op: 'add' } },
      `'Operations' must be an array`,
    ],
    [
      'empty Operations',
      { schemas: [PATCH_OP], Operations: [] },
      `'Operations' must hold at least one operation`,
    ],
    [
      'an operation that is not an object',
      { schemas: [PATCH_OP], Operations: ['add'] },
      `Operations[0] must be an object with 'op'`,
    ],
    [
      'an operation without op',
      { schemas: [PATCH_OP], Operations: [{ path: 'title' }] },
      `Operations[0] has no 'op'`,
    ],
    [
      'an unknown op',
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'add', value: {} },
          { op: 'move', path: 'a' },
        ],
      },
      `Operations[1] has op 'move'; expected add, remove or replace`,
    ],
    [
      'add without value',
      { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title' }] },
      `Operations[0]: 'add' needs a 'value'`,
    ],
    [
      'Replace without value',
      { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title' }] },
      `Operations[0]: 'replace' needs a 'value'`,
    ],
  ])('refuses %s with invalidSyntax', (_case, body, detail) => {
    const error = scimError(() => validatePatchRequest(body));
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.detail).toContain(detail);
  });

  it(`takes up to ${PATCH_LIMITS.maxOperations} operations and refuses more`, () => {
    const operations = (n: number) => Array.from({ length: n }, () => ({ op: 'remove', path: 'title' }));
    expect(validatePatchRequest({ schemas: [PATCH_OP], Operations: operations(1000) })).toHaveLength(1000);
    const error = scimError(() =>
      validatePatchRequest({ schemas: [PATCH_OP], Operations: operations(1001) }),
    );
    expect(error.scimType).toBe('invalidSyntax');
    expect(error.detail).toBe(`'Operations' may hold at most 1000 operations`);
    expect(
      validatePatchRequest({ schemas: [PATCH_OP], Operations: operations(3) }, { maxOperations: 3 }),
    ).toHaveLength(3);
    expect(
      scimError(() =>
        validatePatchRequest({ schemas: [PATCH_OP], Operations: operations(4) }, { maxOperations: 3 }),
      ).detail,
    ).toBe(`'Operations' may hold at most 3 operations`);
  });

  it('refuses a path that is not a string with invalidPath', () => {
    const error = scimError(() =>
      validatePatchRequest({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 3 }] }),
    );
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toBe(`Operations[0]: 'path' must be a string`);
  });
});

describe('applyPatch errors', () => {
  const user = bjensen();
  const group = tourGuides();

  it.each<[string, Record<string, unknown>, Record<string, unknown>, ScimType, string]>([
    // invalidSyntax: applyPatch checks each operation as validatePatchRequest does.
    ['an unknown op', user, { op: 'copy', path: 'title' }, 'invalidSyntax', `Operations[0] has op 'copy'`],
    [
      'add without value',
      user,
      { op: 'add', path: 'title' },
      'invalidSyntax',
      `Operations[0]: 'add' needs a 'value'`,
    ],

    // invalidPath
    [
      'an unparseable path',
      user,
      { op: 'replace', path: 'emails[type eq "work"', value: 'x' },
      'invalidPath',
      `Operations[0] (replace emails[type eq "work"): expected ']' to close the '[' at column 7 but the text ended`,
    ],
    [
      'a filter on a single-valued attribute',
      user,
      { op: 'replace', path: 'name[givenName eq "Barbara"].familyName', value: 'x' },
      'invalidPath',
      'name is single-valued; a [filter] selects values of a multi-valued attribute',
    ],
    [
      'a sub-attribute of a multi-valued attribute without a filter',
      user,
      { op: 'replace', path: 'emails.value', value: 'x@example.com' },
      'invalidPath',
      'emails is multi-valued: pick the values with a filter, e.g. emails[type eq "work"].value',
    ],
    [
      'a bad key in a path-less value',
      user,
      { op: 'replace', value: { 'not a name': 'x' } },
      'invalidPath',
      `expected '[' or the end of the path after 'not' but found 'a'`,
    ],

    // noTarget
    [
      'remove without a path',
      user,
      { op: 'remove' },
      'noTarget',
      `'remove' needs a path naming what to remove`,
    ],
    [
      'replace whose filter matches nothing',
      user,
      { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@example.com' },
      'noTarget',
      'no value of emails matches the filter',
    ],
    [
      'replace of a whole value whose filter matches nothing',
      group,
      { op: 'replace', path: 'members[value eq "nobody"]', value: { display: 'x' } },
      'noTarget',
      'no value of members matches the filter',
    ],
    [
      'add whose filter matches nothing and describes nothing',
      user,
      { op: 'add', path: 'emails[value co "@other.org"].type', value: 'other' },
      'noTarget',
      `no value of emails matches the filter, and only eq terms joined by 'and' describe a new one`,
    ],

    // invalidValue
    [
      'a non-boolean for a boolean',
      user,
      { op: 'replace', path: 'active', value: 'maybe' },
      'invalidValue',
      'active is a boolean; "maybe" is neither true nor false',
    ],
    [
      'a number for a boolean sub-attribute',
      user,
      { op: 'replace', path: 'emails[type eq "work"].primary', value: 1 },
      'invalidValue',
      'emails.primary is a boolean; 1 is neither true nor false',
    ],
    [
      'a path-less add whose value is not an object',
      user,
      { op: 'add', value: 'Babs' },
      'invalidValue',
      `without a path, 'add' needs an object of attributes as its value`,
    ],
    [
      'a string for a complex attribute without a value sub-attribute',
      user,
      { op: 'replace', path: 'name', value: 'Babs' },
      'invalidValue',
      'name is complex: its value must be an object of sub-attributes, not "Babs"',
    ],
    [
      'an object for a string attribute',
      user,
      { op: 'replace', path: 'title', value: { text: 'Guide' } },
      'invalidValue',
      'title takes a string, not {"text":"Guide"}',
    ],
    [
      'a list of two for a single-valued attribute',
      user,
      { op: 'replace', path: 'title', value: ['a', 'b'] },
      'invalidValue',
      'title takes a single value, not a list of 2',
    ],
    [
      'two primary values',
      user,
      {
        op: 'replace',
        path: 'emails',
        value: [
          { value: 'a@example.com', primary: true },
          { value: 'b@example.com', primary: true },
        ],
      },
      'invalidValue',
      'emails: only one value can be primary',
    ],
    [
      'an extension URN path with a non-object value',
      user,
      { op: 'replace', path: ENTERPRISE, value: 'Sales' },
      'invalidValue',
      `${ENTERPRISE} is an extension: its value must be an object`,
    ],

    // mutability
    [
      'a new id',
      user,
      { op: 'replace', path: 'id', value: 'other' },
      'mutability',
      'id is read-only and cannot be changed',
    ],
    [
      'a new id without a path',
      group,
      { op: 'replace', value: { id: 'other' } },
      'mutability',
      'id is read-only',
    ],
    ['removing id', user, { op: 'remove', path: 'id' }, 'mutability', 'id is read-only'],
    [
      'a new meta',
      user,
      { op: 'replace', path: 'meta', value: { lastModified: '2020-01-01T00:00:00Z' } },
      'mutability',
      'meta is read-only and cannot be changed',
    ],
    [
      'a meta sub-attribute',
      user,
      { op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' },
      'mutability',
      'meta.lastModified is read-only and cannot be changed',
    ],
    [
      'new schemas',
      user,
      { op: 'add', path: 'schemas', value: ['urn:example:other'] },
      'mutability',
      'schemas is read-only and cannot be changed',
    ],
    ['removing schemas', user, { op: 'remove', path: 'schemas' }, 'mutability', 'schemas is read-only'],
    ['removing userName', user, { op: 'remove', path: 'userName' }, 'mutability', 'userName is required'],
    [
      'unassigning userName',
      user,
      { op: 'replace', path: 'userName', value: null },
      'mutability',
      'userName is required',
    ],
    [
      'removing a group’s displayName',
      group,
      { op: 'remove', path: 'displayName' },
      'mutability',
      'displayName is required',
    ],
    [
      'the groups a user belongs to',
      user,
      { op: 'add', path: 'groups', value: [{ value: 'g1' }] },
      'mutability',
      'groups is read-only and cannot be changed',
    ],
    [
      'a member’s value',
      group,
      { op: 'replace', path: 'members[display eq "Babs Jensen"].value', value: 'someone-else' },
      'mutability',
      'members.value is immutable and cannot be changed',
    ],
    [
      'a member’s type through a value replace',
      { ...group, members: [{ value: 'u1', type: 'User' }] },
      { op: 'replace', path: 'members[value eq "u1"]', value: { type: 'Group' } },
      'mutability',
      'members.type is immutable and cannot be changed',
    ],
  ])('refuses %s', (_case, resource, operation, scimType, detail) => {
    const error = scimError(() => applyPatch(resource, [operation]));
    expect(error.scimType).toBe(scimType);
    expect(error.status).toBe(400);
    expect(error.detail).toContain(detail);
    if (scimType !== 'invalidSyntax') expect(error.detail).toMatch(/^Operations\[0\] \(/);
  });

  it('names the failing operation by its place in the request', () => {
    const error = scimError(() =>
      applyPatch(user, [
        { op: 'replace', path: 'title', value: 'Guide' },
        { op: 'Remove', path: 'members[value eq "x"]' },
        { op: 'remove' },
      ]),
    );
    expect(error.message).toBe(`Operations[2] (remove): 'remove' needs a path naming what to remove`);
  });

  it('lets read-only attributes through when the value sent is the one held', () => {
    expect(
      applyPatch(user, [
        { op: 'replace', path: 'id', value: user['id'] },
        {
          op: 'replace',
          value: { schemas: [...(user['schemas'] as string[])].reverse(), meta: user['meta'] },
        },
        { op: 'add', path: 'meta.resourceType', value: 'User' },
      ]),
    ).toEqual(user);
  });

  it('lets an immutable member value be set where it had none', () => {
    const result = applyPatch({ ...group, members: [{ display: 'Pending' }] }, [
      { op: 'add', path: 'members[display eq "Pending"].value', value: 'u9' },
    ]);
    expect(result['members']).toEqual([{ display: 'Pending', value: 'u9' }]);
  });
});
