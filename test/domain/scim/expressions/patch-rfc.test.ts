import { describe, expect, it } from '@jest/globals';
import { applyPatch, validatePatchRequest } from '../../../../src/domain/scim/expressions/index.js';
import {
  bjensen,
  deepFreeze,
  ENTERPRISE,
  PATCH_OP,
  tourGuides,
  USER_SCHEMA_ID,
} from '../scim-test-helpers.js';

/** Applies a PATCH body the way the endpoint will: envelope first, then the operations. */
const patch = (resource: Record<string, unknown>, operations: unknown[]) =>
  applyPatch(deepFreeze(resource), validatePatchRequest({ schemas: [PATCH_OP], Operations: operations }));

const BABS = '2819c223-7f76-453a-919d-413861904646';
const MANDY = '902c246b-6245-4190-8e05-00816be7344a';
const JOHN = '08e1d05d-121c-4561-8b96-473d93df9210';

describe('PATCH add (RFC 7644 §3.5.2.1)', () => {
  it('merges an object of attributes when there is no path (the §3.5.2.1 example)', () => {
    const result = patch(bjensen(), [
      { op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } },
    ]);
    expect(result['emails']).toEqual(bjensen()['emails']);
    expect(result['nickName']).toBe('Babs');
    expect(result).not.toHaveProperty('nickname');

    const added = patch(bjensen(), [
      { op: 'add', value: { emails: [{ value: 'b@jensen.com', type: 'other' }], nickname: 'Barb' } },
    ]);
    expect(added['emails']).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'b@jensen.com', type: 'other' },
    ]);
    expect(added['nickName']).toBe('Barb');
  });

  it('adds a member to a group (the §3.5.2.1 example)', () => {
    const group = { ...tourGuides(), members: [] };
    const result = patch(group, [
      {
        op: 'add',
        path: 'members',
        value: [{ display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS }],
      },
    ]);
    expect(result['members']).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
    ]);
  });

  it('does not add a value already held, and merges what it brings', () => {
    const result = patch(tourGuides(), [
      { op: 'add', path: 'members', value: [{ value: BABS, type: 'User' }, { value: JOHN }] },
    ]);
    expect(result['members']).toEqual([
      { value: BABS, $ref: `https://example.com/v2/Users/${BABS}`, display: 'Babs Jensen', type: 'User' },
      (tourGuides()['members'] as unknown[])[1],
      { value: JOHN },
    ]);
  });

  it('merges the sub-attributes of a complex attribute', () => {
    const result = patch(bjensen(), [
      { op: 'add', path: 'name', value: { givenName: 'Babs', nickName: null } },
    ]);
    expect(result['name']).toEqual({ ...(bjensen()['name'] as object), givenName: 'Babs' });
  });

  it('replaces a single-valued attribute and creates a missing one', () => {
    const result = patch(bjensen(), [
      { op: 'add', path: 'title', value: 'Head Guide' },
      { op: 'add', path: 'name.nickName', value: 'B' },
      { op: 'add', path: 'profileUrl', value: 'https://example.com/babs' },
    ]);
    expect(result['title']).toBe('Head Guide');
    expect((result['name'] as Record<string, unknown>)['nickName']).toBe('B');
    expect(result['profileUrl']).toBe('https://example.com/babs');
  });

  it('creates a complex attribute from a sub-attribute path', () => {
    const { name: _name, ...nameless } = bjensen();
    expect(patch(nameless, [{ op: 'add', path: 'name.familyName', value: 'Jensen' }])['name']).toEqual({
      familyName: 'Jensen',
    });
  });

  it('sets primary false on the other values when one becomes primary (RFC 7644 §3.5.2)', () => {
    const result = patch(bjensen(), [
      { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'work', primary: true }] },
    ]);
    expect(result['emails']).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'new@example.com', type: 'work', primary: true },
    ]);
  });

  it('lists a newly used extension in schemas', () => {
    const { [ENTERPRISE]: _enterprise, ...core } = bjensen();
    const user = { ...core, schemas: [USER_SCHEMA_ID] };
    const result = patch(user, [{ op: 'add', path: `${ENTERPRISE}:employeeNumber`, value: '42' }]);
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: '42' });
    expect(result['schemas']).toEqual([USER_SCHEMA_ID, ENTERPRISE]);
  });

  it('adds several extension attributes through the extension URN as path', () => {
    const result = patch(bjensen(), [
      { op: 'add', path: ENTERPRISE, value: { division: 'Rides', costCenter: 7 } },
    ]);
    expect(result[ENTERPRISE]).toEqual({
      ...(bjensen()[ENTERPRISE] as object),
      division: 'Rides',
      costCenter: '7',
    });
  });
});

describe('PATCH remove (RFC 7644 §3.5.2.2)', () => {
  it('removes a single member (the §3.5.2.2 example)', () => {
    const result = patch(tourGuides(), [{ op: 'remove', path: `members[value eq "${BABS}"]` }]);
    expect(result['members']).toEqual([(tourGuides()['members'] as unknown[])[1]]);
  });

  it('removes all members (the §3.5.2.2 example)', () => {
    const result = patch(tourGuides(), [{ op: 'remove', path: 'members' }]);
    expect(result).not.toHaveProperty('members');
    expect(result['displayName']).toBe('Tour Guides');
  });

  it('removes the values a filter selects (the §3.5.2.2 example)', () => {
    const user = bjensen();
    (user['emails'] as unknown[]).push({ value: 'b@example.com', type: 'work' });
    const result = patch(user, [{ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }]);
    expect(result['emails']).toEqual([{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('removes several members, then adds one back (the §3.5.2.2 "remove and add" example)', () => {
    const result = patch(tourGuides(), [
      { op: 'remove', path: `members[value eq "${BABS}"]` },
      { op: 'remove', path: `members[value eq "${MANDY}"]` },
      { op: 'add', path: 'members', value: [{ display: 'James Smith', value: JOHN }] },
    ]);
    expect(result['members']).toEqual([{ display: 'James Smith', value: JOHN }]);
  });

  it('leaves the attribute unassigned when its last value is removed', () => {
    const result = patch(bjensen(), [{ op: 'remove', path: 'ims[type eq "aim"]' }]);
    expect(result).not.toHaveProperty('ims');
  });

  it('removes only the sub-attribute of the filtered values', () => {
    const result = patch(bjensen(), [{ op: 'remove', path: 'addresses[type eq "work"].streetAddress' }]);
    const [work, home] = result['addresses'] as Record<string, unknown>[];
    expect(work).not.toHaveProperty('streetAddress');
    expect(work?.['locality']).toBe('Hollywood');
    expect(home?.['streetAddress']).toBe('456 Hollywood Blvd');
  });

  it('removes a sub-attribute of a complex attribute, and the attribute once empty', () => {
    const result = patch(bjensen(), [{ op: 'remove', path: 'name.middleName' }]);
    expect(result['name']).not.toHaveProperty('middleName');
    expect((result['name'] as Record<string, unknown>)['familyName']).toBe('Jensen');
    const single = patch({ ...bjensen(), name: { givenName: 'Babs' } }, [
      { op: 'remove', path: 'name.givenName' },
    ]);
    expect(single).not.toHaveProperty('name');
  });

  it('removes a single-valued attribute and an extension attribute', () => {
    const result = patch(bjensen(), [
      { op: 'remove', path: 'title' },
      { op: 'remove', path: `${ENTERPRISE}:manager` },
    ]);
    expect(result).not.toHaveProperty('title');
    expect(result[ENTERPRISE]).not.toHaveProperty('manager');
    expect((result[ENTERPRISE] as Record<string, unknown>)['department']).toBe('Tour Operations');
  });

  it('drops the extension from schemas when its last attribute goes', () => {
    const user = { ...bjensen(), [ENTERPRISE]: { department: 'Tours' } };
    const result = patch(user, [{ op: 'remove', path: `${ENTERPRISE}:department` }]);
    expect(result).not.toHaveProperty(ENTERPRISE);
    expect(result['schemas']).toEqual([USER_SCHEMA_ID]);
    const whole = patch(bjensen(), [{ op: 'remove', path: ENTERPRISE }]);
    expect(whole).not.toHaveProperty(ENTERPRISE);
    expect(whole['schemas']).toEqual([USER_SCHEMA_ID]);
  });

  it('succeeds without change when nothing is there to remove', () => {
    expect(patch(tourGuides(), [{ op: 'remove', path: 'members[value eq "gone"]' }])).toEqual(tourGuides());
    expect(
      patch(bjensen(), [
        { op: 'remove', path: 'nickName' },
        { op: 'remove', path: 'nickName' },
      ]),
    ).toEqual((({ nickName: _nickName, ...rest }) => rest)(bjensen()));
    expect(patch(bjensen(), [{ op: 'remove', path: 'urn:example:custom:2.0:User:badge' }])).toEqual(
      bjensen(),
    );
  });
});

describe('PATCH replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces all members (the §3.5.2.3 example)', () => {
    const result = patch(tourGuides(), [
      {
        op: 'replace',
        path: 'members',
        value: [
          { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
          { display: 'James Smith', $ref: `https://example.com/v2/Users/${JOHN}`, value: JOHN },
        ],
      },
    ]);
    expect(result['members']).toEqual([
      { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS },
      { display: 'James Smith', $ref: `https://example.com/v2/Users/${JOHN}`, value: JOHN },
    ]);
  });

  it('replaces the filtered complex value (the §3.5.2.3 addresses example)', () => {
    const moved = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const result = patch(bjensen(), [{ op: 'replace', path: 'addresses[type eq "work"]', value: moved }]);
    expect(result['addresses']).toEqual([moved, (bjensen()['addresses'] as unknown[])[1]]);
  });

  it('replaces the sub-attribute of the filtered values (the §3.5.2.3 streetAddress example)', () => {
    const result = patch(bjensen(), [
      { op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' },
    ]);
    const [work, home] = result['addresses'] as Record<string, unknown>[];
    expect(work?.['streetAddress']).toBe('1010 Broadway Ave');
    expect(home?.['streetAddress']).toBe('456 Hollywood Blvd');
  });

  it('replaces attributes named in value when there is no path (the §3.5.2.3 example)', () => {
    const result = patch(bjensen(), [
      {
        op: 'replace',
        value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }], nickname: 'Babs' },
      },
    ]);
    expect(result['emails']).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    expect(result['nickName']).toBe('Babs');
  });

  it('keeps the sub-attributes a complex replace does not mention', () => {
    const result = patch(bjensen(), [
      { op: 'replace', path: 'name', value: { givenName: 'Babs', middleName: null } },
    ]);
    expect(result['name']).toEqual({
      formatted: 'Ms. Barbara J Jensen, III',
      familyName: 'Jensen',
      givenName: 'Babs',
      honorificPrefix: 'Ms.',
      honorificSuffix: 'III',
    });
  });

  it('treats replacing an attribute that has no values as an add, filter or not', () => {
    const { phoneNumbers: _phones, ...user } = bjensen();
    const result = patch(user, [
      { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '555-555-1234' },
      { op: 'replace', path: 'nickName', value: 'B' },
    ]);
    expect(result['phoneNumbers']).toEqual([{ type: 'work', value: '555-555-1234' }]);
    expect(result['nickName']).toBe('B');
  });

  it('makes a value primary through its sub-attribute and demotes the rest', () => {
    const result = patch(bjensen(), [{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]);
    expect(result['emails']).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });

  it('unassigns an attribute replaced with null (RFC 7643 §2.5)', () => {
    const result = patch(bjensen(), [
      { op: 'replace', path: 'title', value: null },
      { op: 'replace', path: 'emails[type eq "home"]', value: null },
    ]);
    expect(result).not.toHaveProperty('title');
    expect(result['emails']).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('writes the same attribute spelled in any case to its existing key', () => {
    const result = patch(bjensen(), [
      { op: 'replace', path: 'DISPLAYNAME', value: 'Barbara' },
      { op: 'replace', path: 'Name.GivenName', value: 'Barb' },
      { op: 'replace', path: `${ENTERPRISE.toUpperCase()}:DEPARTMENT`, value: 'Rides' },
    ]);
    expect(result['displayName']).toBe('Barbara');
    expect((result['name'] as Record<string, unknown>)['givenName']).toBe('Barb');
    expect((result[ENTERPRISE] as Record<string, unknown>)['department']).toBe('Rides');
    expect(Object.keys(result).filter((key) => key.toLowerCase() === 'displayname')).toEqual(['displayName']);
  });

  it('keeps attributes no schema defines, as sent', () => {
    const result = patch(bjensen(), [
      { op: 'add', path: 'urn:example:custom:2.0:User:badgeColour', value: 'green' },
      { op: 'add', path: 'favouriteRides', value: ['Jaws'] },
      { op: 'add', path: 'favouriteRides', value: ['Jaws', 'Backdraft'] },
    ]);
    expect(result['urn:example:custom:2.0:User']).toEqual({ badgeColour: 'green' });
    expect(result['favouriteRides']).toEqual(['Jaws', 'Backdraft']);
    expect(result['schemas']).toEqual([USER_SCHEMA_ID, ENTERPRISE, 'urn:example:custom:2.0:User']);
  });
});

describe('applyPatch: the request as a whole', () => {
  it('never writes to its input, and returns a new object', () => {
    const user = deepFreeze(bjensen());
    const result = applyPatch(user, [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.com' },
      { op: 'add', path: 'name.nickName', value: 'B' },
    ]);
    expect(result).not.toBe(user);
    expect(user).toEqual(bjensen());
    expect(result['emails']).not.toBe(user['emails']);
  });

  it('does not share objects with the request either', () => {
    const value = [{ value: JOHN }];
    const result = applyPatch(tourGuides(), [{ op: 'add', path: 'members', value }]);
    (result['members'] as Record<string, unknown>[])[2]!['value'] = 'changed';
    expect(value).toEqual([{ value: JOHN }]);
  });

  it('applies operations in order', () => {
    const result = patch(bjensen(), [
      { op: 'replace', path: 'title', value: 'A' },
      { op: 'remove', path: 'title' },
      { op: 'add', path: 'title', value: 'B' },
    ]);
    expect(result['title']).toBe('B');
  });

  it('changes nothing when an operation fails, whatever came before it (RFC 7644 §3.5.2)', () => {
    const user = deepFreeze(bjensen());
    expect(() =>
      applyPatch(user, [
        { op: 'replace', path: 'title', value: 'A' },
        { op: 'replace', path: 'id', value: 'other' },
      ]),
    ).toThrow('Operations[1] (replace id): id is read-only and cannot be changed');
    expect(user).toEqual(bjensen());
  });

  it('returns an equal resource for a request that changes nothing', () => {
    expect(
      patch(bjensen(), [{ op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] }]),
    ).toEqual(bjensen());
  });
});
