import { describe, expect, it } from '@jest/globals';
import type { PatchPath } from '../../../../src/domain/scim/expressions/index.js';
import { parseAttributePath, parsePatchPath } from '../../../../src/domain/scim/expressions/index.js';
import { ENTERPRISE, scimError } from '../scim-test-helpers.js';

describe('parsePatchPath (RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr])', () => {
  it.each<[string, PatchPath]>([
    ['userName', { kind: 'attribute', path: { attribute: 'userName' } }],
    ['name.givenName', { kind: 'attribute', path: { attribute: 'name', subAttribute: 'givenName' } }],
    ['members', { kind: 'attribute', path: { attribute: 'members' } }],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:userName',
      {
        kind: 'attribute',
        path: { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attribute: 'userName' },
      },
    ],
    [
      `${ENTERPRISE}:department`,
      { kind: 'attribute', path: { schema: ENTERPRISE, attribute: 'department' } },
    ],
    [
      `${ENTERPRISE}:manager.value`,
      { kind: 'attribute', path: { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' } },
    ],
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      {
        kind: 'valuePath',
        attribute: { attribute: 'members' },
        filter: {
          kind: 'compare',
          path: { attribute: 'value' },
          op: 'eq',
          value: '2819c223-7f76-453a-919d-413861904646',
        },
      },
    ],
    [
      'emails[type eq "work"].value',
      {
        kind: 'valuePath',
        attribute: { attribute: 'emails' },
        filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
        subAttribute: 'value',
      },
    ],
    [
      'addresses[type eq "work"].streetAddress',
      {
        kind: 'valuePath',
        attribute: { attribute: 'addresses' },
        filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
        subAttribute: 'streetAddress',
      },
    ],
    [
      'emails[type eq "work" and value ew "example.com"]',
      {
        kind: 'valuePath',
        attribute: { attribute: 'emails' },
        filter: {
          kind: 'and',
          left: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'work' },
          right: { kind: 'compare', path: { attribute: 'value' }, op: 'ew', value: 'example.com' },
        },
      },
    ],
    [
      `${ENTERPRISE}:badges[value pr].display`,
      {
        kind: 'valuePath',
        attribute: { schema: ENTERPRISE, attribute: 'badges' },
        filter: { kind: 'present', path: { attribute: 'value' } },
        subAttribute: 'display',
      },
    ],
  ])('%s', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
  });

  it('keeps the client’s spelling of names, and normalises the filter', () => {
    expect(parsePatchPath('Emails[Type EQ "Work"].Value')).toEqual({
      kind: 'valuePath',
      attribute: { attribute: 'Emails' },
      filter: { kind: 'compare', path: { attribute: 'type' }, op: 'eq', value: 'Work' },
      subAttribute: 'Value',
    });
  });

  it.each<[string, string, number | undefined]>([
    ['', 'expected an attribute name but the text ended', 0],
    ['emails[type eq "work"', `expected ']' to close the '[' at column 7 but the text ended`, 21],
    [
      'emails[type eq "work"]value',
      `expected '.subAttribute' or the end of the path after ']' but found 'value'`,
      22,
    ],
    ['emails[type eq "work"].value.display', `'.value.display' is not a single sub-attribute`, 22],
    ['emails[type eq "work"].', `expected an attribute name in ''`, 23],
    [
      'emails[type eq "work"].value extra',
      `expected the end of the path after '.value' but found 'extra'`,
      29,
    ],
    [
      'name.givenName[value eq "x"]',
      `'name.givenName' is a sub-attribute; a [filter] applies to a multi-valued attribute`,
      14,
    ],
    ['name givenName', `expected '[' or the end of the path after 'name' but found 'givenName'`, 5],
    ['emails[type eq]', `expected a value`, 14],
    ['emails[type zz "work"]', 'expected an operator', 12],
    ['a..b', `'a..b' nests deeper than attribute.subAttribute`, 2],
    ['a.', `expected an attribute name in 'a.'`, 2],
    ['9lives', `'9lives' is neither a number nor an attribute name`, 0],
    ['"userName"', 'expected an attribute name', 0],
    ['x'.repeat(4097), 'path is 4097 characters long; the limit is 4096', undefined],
  ])('%j is invalidPath: %s', (text, detail, position) => {
    const error = scimError(() => parsePatchPath(text));
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain(detail);
    expect(error.position).toBe(position);
  });
});

describe('parseAttributePath', () => {
  it('reads a bare attribute path, normalised like a filter’s', () => {
    expect(parseAttributePath('name.familyName')).toEqual({ attribute: 'name', subAttribute: 'familyname' });
    expect(parseAttributePath(`${ENTERPRISE}:employeeNumber`)).toEqual({
      schema: ENTERPRISE,
      attribute: 'employeenumber',
    });
  });

  it('refuses anything more than a path', () => {
    expect(scimError(() => parseAttributePath('emails[type eq "work"]')).detail).toBe(
      `expected the end of the attribute path after 'emails' but found '['`,
    );
    expect(scimError(() => parseAttributePath('a b')).scimType).toBe('invalidPath');
  });
});
