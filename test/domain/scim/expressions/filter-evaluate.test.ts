import { describe, expect, it } from '@jest/globals';
import type { AttributePath } from '../../../../src/domain/scim/expressions/index.js';
import { matchesElement, matchesFilter, parseFilter } from '../../../../src/domain/scim/expressions/index.js';
import { bjensen, ENTERPRISE, scimError, tourGuides, USER_SCHEMA_ID } from '../scim-test-helpers.js';

const user = bjensen();
const matches = (filter: string, resource: Record<string, unknown> = user) =>
  matchesFilter(resource, parseFilter(filter));

describe('matchesFilter: the RFC 7644 §3.4.2.2 examples against RFC 7643 §8.3 Babs Jensen', () => {
  it.each<[string, boolean]>([
    ['userName eq "bjensen@example.com"', true],
    ['userName eq "bjensen"', false],
    [`name.familyName co "O'Malley"`, false],
    ['name.familyName co "ens"', true],
    ['userName sw "J"', false],
    ['userName sw "B"', true],
    [`${USER_SCHEMA_ID}:userName sw "b"`, true],
    ['title pr', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    [`schemas eq "${ENTERPRISE}"`, true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      true,
    ],
    [
      'emails[type eq "home" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      false,
    ],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });
});

describe('matchesFilter: strings', () => {
  it('compares case-insensitively unless the attribute is caseExact (RFC 7643 §2.2)', () => {
    expect(matches('userName eq "BJENSEN@Example.COM"')).toBe(true);
    expect(matches('displayName eq "babs jensen"')).toBe(true);
    expect(matches('emails.value eq "BABS@JENSEN.ORG"')).toBe(true);
    expect(matches('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true);
    expect(matches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false);
    expect(matches('externalId eq "701984"')).toBe(true);
    expect(
      matches('meta.location eq "HTTPS://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"'),
    ).toBe(false);
  });

  it('takes the caseExact rule as a parameter', () => {
    const caseExact = (path: AttributePath) => path.attribute === 'username';
    const filter = parseFilter('userName eq "BJENSEN@example.com"');
    expect(matchesFilter(user, filter, { caseExact })).toBe(false);
    expect(
      matchesFilter(user, parseFilter('id eq "2819C223-7F76-453A-919D-413861904646"'), { caseExact }),
    ).toBe(true);
    const seen: AttributePath[] = [];
    matchesFilter(user, parseFilter('emails[type eq "home"]'), {
      caseExact: (path) => (seen.push(path), false),
    });
    expect(seen).toEqual([
      { attribute: 'emails', subAttribute: 'type' },
      { attribute: 'emails', subAttribute: 'type' },
    ]);
  });

  it('applies co, sw and ew', () => {
    expect(matches('title co "OUR gu"')).toBe(true);
    expect(matches('title sw "tour"')).toBe(true);
    expect(matches('title sw "guide"')).toBe(false);
    expect(matches('title ew "GUIDE"')).toBe(true);
    expect(matches('title ew "tour"')).toBe(false);
    expect(matches('title co ""')).toBe(true);
    expect(matches('id sw "2819C"')).toBe(false);
  });

  it('orders strings lexicographically, case-insensitively', () => {
    expect(matches('title gt "tour"')).toBe(true);
    expect(matches('title gt "TOUR GUIDE"')).toBe(false);
    expect(matches('title ge "TOUR GUIDE"')).toBe(true);
    expect(matches('title lt "u"')).toBe(true);
    expect(matches('title le "Tour"')).toBe(false);
    expect(matches('title lt "Tour"')).toBe(false);
  });

  it('answers ne for every value and for an absent attribute', () => {
    expect(matches('title ne "Tour Guide"')).toBe(false);
    expect(matches('title ne "TOUR GUIDE"')).toBe(false);
    expect(matches('title ne "Driver"')).toBe(true);
    expect(matches('emails.type ne "work"')).toBe(true);
    expect(matches('nonexistent ne "x"')).toBe(true);
    expect(matches('nonexistent eq "x"')).toBe(false);
  });
});

describe('matchesFilter: dates, numbers and booleans', () => {
  it('orders ISO 8601 date-times chronologically, across offsets', () => {
    expect(matches('meta.lastModified eq "2011-05-13T06:42:34+02:00"')).toBe(true);
    expect(matches('meta.lastModified gt "2011-05-13T05:00:00+02:00"')).toBe(true);
    expect(matches('meta.lastModified lt "2011-05-13T04:42:34.001Z"')).toBe(true);
    expect(matches('meta.created lt "2010-01-23T04:56:22.5Z"')).toBe(true);
    expect(matches('meta.created gt "2010-01-23T04:56:22"')).toBe(false);
    expect(matches('meta.created ge "2010-01-23T04:56:22"')).toBe(true);
  });

  it('compares a date with a non-date string as text', () => {
    expect(matches('meta.created gt "2010"')).toBe(true);
    expect(matches('meta.created lt "2010-01-23U"')).toBe(true);
  });

  it('orders numbers numerically', () => {
    const resource = { loginCount: 9, ratio: 0.5 };
    expect(matches('loginCount gt 10', resource)).toBe(false);
    expect(matches('loginCount lt 10', resource)).toBe(true);
    expect(matches('loginCount ge 9', resource)).toBe(true);
    expect(matches('loginCount le 8.5', resource)).toBe(false);
    expect(matches('loginCount eq 9', resource)).toBe(true);
    expect(matches('loginCount eq 9.0', resource)).toBe(true);
    expect(matches('ratio eq 5e-1', resource)).toBe(true);
    expect(matches('loginCount eq "9"', resource)).toBe(false);
    expect(matches('externalId gt 5', user)).toBe(false);
  });

  it('compares booleans with eq and ne only', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq TRUE')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('active ne false')).toBe(true);
    expect(matches('active eq "true"')).toBe(false);
    expect(matches('emails[primary eq true and type eq "work"]')).toBe(true);
    expect(matches('emails[primary eq true and type eq "home"]')).toBe(false);
  });

  it.each(['active gt 1', 'active le "x"', 'active co "tr"', 'emails.primary sw "t"'])(
    '%s is invalidFilter: RFC 7644 §3.4.2.2 refuses ordering a boolean',
    (filter) => {
      const error = scimError(() => matches(filter));
      expect(error.scimType).toBe('invalidFilter');
      expect(error.message).toMatch(/cannot compare the boolean attribute (active|emails\.primary)$/);
    },
  );

  it('reads eq null as absence and ne null as presence', () => {
    expect(matches('title eq null')).toBe(false);
    expect(matches('title ne null')).toBe(true);
    expect(matches('x509Certificates eq null')).toBe(true);
    expect(matches('x509Certificates ne null')).toBe(false);
    expect(matches('nickName eq null', { nickName: '' })).toBe(true);
  });
});

describe('matchesFilter: presence', () => {
  it.each<[Record<string, unknown>, boolean]>([
    [{ title: 'Tour Guide' }, true],
    [{ title: '' }, false],
    [{ title: null }, false],
    [{}, false],
    [{ title: false }, true],
    [{ title: 0 }, true],
    [{ title: [] }, false],
    [{ title: [null, ''] }, false],
    [{ title: ['x'] }, true],
    [{ title: {} }, false],
    [{ title: { a: '', b: null } }, false],
    [{ title: { a: 'x' } }, true],
  ])('title pr on %j → %s', (resource, expected) => {
    expect(matches('title pr', resource)).toBe(expected);
  });

  it('finds sub-attributes of complex and multi-valued attributes', () => {
    expect(matches('name.middleName pr')).toBe(true);
    expect(matches('name.nickName pr')).toBe(false);
    expect(matches('emails.primary pr')).toBe(true);
    expect(matches('emails.display pr')).toBe(false);
    expect(matches('emails pr')).toBe(true);
    expect(matches('photos pr')).toBe(false);
    expect(matches('ims[type eq "aim"] and ims[value pr]')).toBe(true);
  });
});

describe('matchesFilter: multi-valued attributes', () => {
  it('matches when any value matches', () => {
    expect(matches('emails.type eq "home"')).toBe(true);
    expect(matches('emails.type eq "other"')).toBe(false);
    expect(matches('phoneNumbers.value sw "555-555-4"')).toBe(true);
    expect(matches('schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"')).toBe(true);
  });

  it('compares a complex multi-valued attribute named alone through its value sub-attribute', () => {
    expect(matches('emails eq "babs@jensen.org"')).toBe(true);
    expect(matches('emails eq "home"')).toBe(false);
  });

  it('holds all of a value filter to one element, unlike separate sub-attribute tests', () => {
    expect(matches('emails.type eq "work" and emails.value co "jensen.org"')).toBe(true);
    expect(matches('emails[type eq "work" and value co "jensen.org"]')).toBe(false);
    expect(matches('emails[type eq "home" and value co "jensen.org"]')).toBe(true);
    expect(matches('not (emails[type eq "other"])')).toBe(true);
  });

  it('treats a simple multi-valued attribute’s elements as their value', () => {
    expect(matches('tags[value eq "B"]', { tags: ['a', 'b'] })).toBe(true);
    expect(matches('tags[value eq "c"]', { tags: ['a', 'b'] })).toBe(false);
    expect(matches('tags eq "A"', { tags: ['a', 'b'] })).toBe(true);
  });

  it('reads a single value where a list was expected as a list of one', () => {
    expect(matches('emails[type eq "work"]', { emails: { type: 'work', value: 'x@y' } })).toBe(true);
  });
});

describe('matchesFilter: schema URNs and attribute lookup', () => {
  it('reads extension attributes under the extension’s key', () => {
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:employeeNumber eq "1"`)).toBe(false);
    expect(matches(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:department co "tour"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:manager pr`)).toBe(true);
  });

  it('does not find an extension attribute without its URN, nor a core one under an extension', () => {
    expect(matches('employeeNumber eq "701984"')).toBe(false);
    expect(matches(`${ENTERPRISE}:userName pr`)).toBe(false);
    expect(matches(`urn:example:missing:2.0:User:employeeNumber pr`)).toBe(false);
  });

  it('reads a core schema URN prefix as the top-level attribute', () => {
    expect(matches(`${USER_SCHEMA_ID}:name.givenName eq "barbara"`)).toBe(true);
    expect(
      matches('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Tour Guides"', tourGuides()),
    ).toBe(true);
  });

  it('finds attributes and extension keys whatever their case in the resource', () => {
    const resource = {
      UserName: 'ada',
      NAME: { FamilyName: 'Lovelace' },
      'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { EmployeeNumber: '7' },
    };
    expect(matches('userName eq "ada"', resource)).toBe(true);
    expect(matches('name.familyName eq "lovelace"', resource)).toBe(true);
    expect(matches(`${ENTERPRISE}:employeeNumber eq "7"`, resource)).toBe(true);
  });

  it('matches group members by value', () => {
    const group = tourGuides();
    expect(matches('members[value eq "902c246b-6245-4190-8e05-00816be7344a"]', group)).toBe(true);
    expect(matches('members.value eq "nobody"', group)).toBe(false);
    expect(matches('displayName eq "tour guides"', group)).toBe(true);
  });
});

describe('matchesElement', () => {
  it('evaluates a value filter against one element, paths relative to it', () => {
    const filter = parseFilter('x[type eq "work" and primary eq true]');
    if (filter.kind !== 'valuePath') throw new Error('expected a value path');
    expect(matchesElement({ type: 'WORK', primary: true }, { attribute: 'emails' }, filter.filter)).toBe(
      true,
    );
    expect(matchesElement({ type: 'work' }, { attribute: 'emails' }, filter.filter)).toBe(false);
  });

  it('asks caseExact about the element’s attribute and sub-attribute', () => {
    const filter = parseFilter('x[value eq "ABC"]');
    if (filter.kind !== 'valuePath') throw new Error('expected a value path');
    const caseExact = (path: AttributePath) => path.attribute === 'members' && path.subAttribute === 'value';
    expect(matchesElement({ value: 'abc' }, { attribute: 'members' }, filter.filter, { caseExact })).toBe(
      false,
    );
    expect(matchesElement({ value: 'abc' }, { attribute: 'emails' }, filter.filter, { caseExact })).toBe(
      true,
    );
  });
});
