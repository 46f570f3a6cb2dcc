import { describe, expect, it } from '@jest/globals';
import { applyPatch, validatePatchRequest } from '../../../../src/domain/scim/expressions/index.js';
import {
  bjensen,
  deepFreeze,
  ENTERPRISE,
  PATCH_OP,
  scimError,
  tourGuides,
  USER_SCHEMA_ID,
} from '../scim-test-helpers.js';

/** Runs a request body, as a client would send it, through the envelope check and the engine. */
const send = (resource: Record<string, unknown>, body: unknown) =>
  applyPatch(deepFreeze(resource), validatePatchRequest(body));

const BABS = '2819c223-7f76-453a-919d-413861904646';
const MANDY = '902c246b-6245-4190-8e05-00816be7344a';

/** A user as Entra ID provisions one: enterprise extension, a work email, nothing else multi-valued. */
function entraUser(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA_ID, ENTERPRISE],
    id: '48af03ac28ad4fb88478',
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
    active: true,
    emails: [
      { primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' },
    ],
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    [ENTERPRISE]: { department: 'Engineering' },
  };
}

describe('Microsoft Entra ID', () => {
  it('updates multi-valued and complex properties with capitalised ops', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(result['emails']).toEqual([{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    expect(result['name']).toEqual({
      formatted: 'givenName familyName',
      familyName: 'updatedFamilyName',
      givenName: 'givenName',
    });
  });

  it('updates single-valued properties, userName included', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' },
      ],
    });
    expect(result['userName']).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it.each<[unknown, boolean]>([
    ['False', false],
    ['True', true],
    ['false', false],
    [false, false],
  ])('disables a user with active %j', (value, expected) => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value }],
    });
    expect(result['active']).toBe(expected);
  });

  it('coerces "True"/"False" wherever a boolean is expected', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', value: { active: 'False' } },
        {
          op: 'Add',
          path: 'phoneNumbers',
          value: [{ type: 'mobile', value: '+1 555 0100', primary: 'True' }],
        },
        { op: 'Replace', path: 'emails[type eq "work"].primary', value: 'False' },
      ],
    });
    expect(result['active']).toBe(false);
    expect(result['phoneNumbers']).toEqual([{ type: 'mobile', value: '+1 555 0100', primary: true }]);
    expect((result['emails'] as Record<string, unknown>[])[0]?.['primary']).toBe(false);
  });

  it('adds a work email with a filtered path when the user has none of that type', () => {
    const { emails: _emails, ...user } = entraUser();
    const result = send(user, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'title', value: 'tester' },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'joe@joe.com' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
        { op: 'Add', path: 'addresses[type eq "work"].formatted', value: '1 Microsoft Way' },
        { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      ],
    });
    expect(result['title']).toBe('tester');
    expect(result['emails']).toEqual([{ type: 'work', value: 'joe@joe.com' }]);
    expect(result['phoneNumbers']).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    expect(result['addresses']).toEqual([
      { type: 'work', formatted: '1 Microsoft Way', locality: 'Redmond' },
    ]);
  });

  it('changes the work email through Add when the user has one', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'joe@joe.com' }],
    });
    expect(result['emails']).toEqual([{ primary: true, type: 'work', value: 'joe@joe.com' }]);
  });

  it('replaces with dotted and URN-qualified keys when there is no path', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          value: {
            'name.givenName': 'Jo',
            [`${ENTERPRISE}:department`]: 'Sales',
            [`${ENTERPRISE}:manager`]: { value: 'b5f0e3a1' },
            'emails[type eq "work"].value': 'jo@contoso.com',
            active: 'False',
            displayName: 'Jo Contoso',
          },
        },
      ],
    });
    expect(result['name']).toEqual({
      formatted: 'givenName familyName',
      familyName: 'familyName',
      givenName: 'Jo',
    });
    expect(result[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: 'b5f0e3a1' } });
    expect(result['emails']).toEqual([{ primary: true, type: 'work', value: 'jo@contoso.com' }]);
    expect(result['active']).toBe(false);
    expect(result['displayName']).toBe('Jo Contoso');
  });

  it('sets the manager from a bare id, and by its value sub-attribute', () => {
    const byId = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: '26118915-6090-4610-87e4-49d8ca9f808d' },
      ],
    });
    expect(byId[ENTERPRISE]).toEqual({
      department: 'Engineering',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
    });
    const bySubAttribute = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager.value`, value: 'a1' }],
    });
    expect((bySubAttribute[ENTERPRISE] as Record<string, unknown>)['manager']).toEqual({ value: 'a1' });
  });

  it('adds a group member, ignoring the extra "name" and the null "$ref"', () => {
    const group = { ...tourGuides(), members: [] };
    const result = send(group, {
      schemas: [PATCH_OP],
      Operations: [{ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: BABS }] }],
    });
    expect(result['members']).toEqual([{ value: BABS }]);
  });

  it('does not add a member twice when the add is retried', () => {
    const result = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [{ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: BABS }] }],
    });
    expect(result['members']).toEqual(tourGuides()['members']);
  });

  it('removes group members listed in value rather than by a filter', () => {
    const result = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [
        { name: 'removeMember', op: 'Remove', path: 'members', value: [{ $ref: null, value: BABS }] },
      ],
    });
    expect(result['members']).toEqual([(tourGuides()['members'] as unknown[])[1]]);
    const both = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Remove', path: 'members', value: [{ value: BABS }, { value: MANDY }, { value: 'absent' }] },
      ],
    });
    expect(both).not.toHaveProperty('members');
  });

  it('renames a group', () => {
    const result = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          path: 'displayName',
          value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
        },
      ],
    });
    expect(result['displayName']).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });

  it('adds to a custom multi-valued extension attribute', () => {
    const result = send(entraUser(), {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          path: 'urn:ietf:params:scim:schemas:extension:greenhouse:2.0:User:department_ids',
          value: [{ value: '1' }],
        },
      ],
    });
    expect(result['urn:ietf:params:scim:schemas:extension:greenhouse:2.0:User']).toEqual({
      department_ids: [{ value: '1' }],
    });
    expect(result['schemas']).toEqual([
      USER_SCHEMA_ID,
      ENTERPRISE,
      'urn:ietf:params:scim:schemas:extension:greenhouse:2.0:User',
    ]);
  });
});

describe('Okta', () => {
  it('deactivates a user with a path-less replace', () => {
    const result = send(bjensen(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(result).toEqual({ ...bjensen(), active: false });
  });

  it('removes one member by filter and adds another in one request', () => {
    const result = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: `members[value eq "${MANDY}"]` },
        {
          op: 'add',
          path: 'members',
          value: [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }],
        },
      ],
    });
    expect(result['members']).toEqual([
      (tourGuides()['members'] as unknown[])[0],
      { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
    ]);
  });

  it('renames a group with a replace that repeats the group id', () => {
    const group = tourGuides();
    const result = send(group, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group['id'], displayName: 'Test SCIMv2' } }],
    });
    expect(result).toEqual({ ...tourGuides(), displayName: 'Test SCIMv2' });
  });

  it('does not let that replace change the id', () => {
    const error = scimError(() =>
      send(tourGuides(), {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'replace',
            value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2' },
          },
        ],
      }),
    );
    expect(error.scimType).toBe('mutability');
    expect(error.message).toBe('Operations[0] (replace): id is read-only and cannot be changed');
  });

  it('replaces the member list, with or without a path', () => {
    const members = [{ value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' }];
    const withPath = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: members }],
    });
    const withoutPath = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { members } }],
    });
    expect(withPath['members']).toEqual(members);
    expect(withoutPath).toEqual(withPath);
  });

  it('succeeds when removing a member that is already gone', () => {
    const result = send(tourGuides(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members[value eq "00u1abcdEFGHijklm0h7"]' }],
    });
    expect(result).toEqual(tourGuides());
  });
});

describe('other clients’ variants', () => {
  it('adds a single member sent as an object rather than a list', () => {
    const result = send(
      { ...tourGuides(), members: [] },
      {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: { value: BABS, display: 'Babs Jensen' } }],
      },
    );
    expect(result['members']).toEqual([{ value: BABS, display: 'Babs Jensen' }]);
  });

  it('accepts a member given as its bare id', () => {
    const result = send(
      { ...tourGuides(), members: [] },
      {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [BABS] }],
      },
    );
    expect(result['members']).toEqual([{ value: BABS }]);
  });

  it('reads Operations, op, path and value in any case, and ops in upper case', () => {
    const result = send(bjensen(), {
      schemas: [PATCH_OP.toUpperCase()],
      operations: [{ OP: 'REPLACE', Path: 'title', Value: 'Guide' }],
    });
    expect(result['title']).toBe('Guide');
  });

  it('accepts a single value wrapped in a list of one', () => {
    const result = send(bjensen(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: ['Babs'] }],
    });
    expect(result['displayName']).toBe('Babs');
  });

  it('treats an empty path as no path', () => {
    const result = send(bjensen(), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: '', value: { title: 'Guide' } }],
    });
    expect(result['title']).toBe('Guide');
  });
});
