import { describe, expect, it } from '@jest/globals';
import { parseUserInput } from '../../../../src/domain/scim/model/user-input.js';
import { ENTERPRISE, failure, USER_SCHEMA_ID } from '../scim-test-helpers.js';

// Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft
// Entra ID", SCIM protocol compliance, Create User request.
const ENTRA_CREATE_USER = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [
    {
      primary: true,
      type: 'work',
      value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
    },
  ],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

// Okta developer docs, "SCIM 2.0 protocol reference", Create the user (the revision that still
// showed the password Okta sends when password sync is on).
const OKTA_CREATE_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
};

// Okta developer docs, "SCIM 2.0 protocol reference", Update the user profile (PUT): the whole
// profile read back, with `id` and `meta`; `password` as Okta adds it with password sync on.
const OKTA_PUT_USER = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '23a35c27-23d3-4c03-b4c5-6443c09e7173',
  userName: 'another.user@okta.com',
  name: { givenName: 'Another', middleName: '', familyName: 'User' },
  emails: [
    { primary: true, value: 'another.user@example.com', type: 'work', display: 'another.user@example.com' },
  ],
  active: true,
  groups: [],
  password: 't1meMa$heen',
  meta: { resourceType: 'User' },
};

// A OneLogin "SCIM Provisioner with SAML (SCIM v2 Enterprise)" JSON template as OneLogin renders
// it: `active` as a string, `id: null`, a non-standard manager.managerId, the enterprise object
// without its URN in `schemas`.
const ONELOGIN_CREATE_USER = {
  [ENTERPRISE]: {
    department: 'Sales',
    manager: { managerId: '00u2ab', displayName: 'Jane Boss' },
  },
  active: 'true',
  emails: [{ value: 'Alex.Kim@Example.com', type: 'work', primary: true }],
  meta: { resourceType: 'User' },
  name: { familyName: 'Kim', givenName: 'Alex', formatted: 'Alex Kim' },
  userName: 'alex.kim@example.com',
  nickName: null,
  title: null,
  id: null,
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
};

describe('parseUserInput: vendor bodies', () => {
  it("keeps Entra ID's create body, dropping meta", () => {
    expect(parseUserInput(ENTRA_CREATE_USER, 'create')).toEqual({
      resource: {
        schemas: [USER_SCHEMA_ID],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        active: true,
        emails: [
          {
            value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
            type: 'work',
            primary: true,
          },
        ],
      },
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      userNameNormalised: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      primaryEmail: 'test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      active: true,
    });
  });

  it("reads Entra ID's string booleans, app roles and enterprise extension", () => {
    const parsed = parseUserInput(
      {
        ...ENTRA_CREATE_USER,
        active: 'False',
        roles: [{ primary: 'False', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
        emails: [{ primary: 'True', type: 'work', value: 'Ellen.Reckert@Contoso.example' }],
        [ENTERPRISE]: {
          employeeNumber: '100009',
          department: 'Human Resources US',
          manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
        },
        'urn:ietf:params:scim:schemas:extension:Microsoft:Entra:2.0:User': {
          onPremisesSamAccountName: 'ellen',
        },
      },
      'create',
    );
    expect(parsed.active).toBe(false);
    expect(parsed.primaryEmail).toBe('ellen.reckert@contoso.example');
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      active: false,
      emails: [{ value: 'Ellen.Reckert@Contoso.example', type: 'work', primary: true }],
      roles: [{ value: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: false }],
      [ENTERPRISE]: {
        employeeNumber: '100009',
        department: 'Human Resources US',
        manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
      },
    });
  });

  it("keeps Okta's create body without its password or groups", () => {
    expect(parseUserInput(OKTA_CREATE_USER, 'create')).toEqual({
      resource: {
        schemas: [USER_SCHEMA_ID],
        externalId: '00ujl29u0le5T6Aj10h7',
        userName: 'test.user@okta.local',
        name: { familyName: 'User', givenName: 'Test' },
        displayName: 'Test User',
        locale: 'en-US',
        active: true,
        emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }],
      },
      userName: 'test.user@okta.local',
      userNameNormalised: 'test.user@okta.local',
      primaryEmail: 'test.user@okta.local',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    });
  });

  it("takes Okta's PUT body, ignoring id, meta, groups, password and empty strings", () => {
    const parsed = parseUserInput(OKTA_PUT_USER, 'replace');
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID],
      userName: 'another.user@okta.com',
      name: { familyName: 'User', givenName: 'Another' },
      active: true,
      emails: [
        {
          value: 'another.user@example.com',
          display: 'another.user@example.com',
          type: 'work',
          primary: true,
        },
      ],
    });
    expect(parsed.externalId).toBeNull();
    expect(JSON.stringify(parsed)).not.toContain('t1meMa$heen');
  });

  it("reads OneLogin's template: string boolean, nulls, id null, unlisted extension", () => {
    const parsed = parseUserInput(ONELOGIN_CREATE_USER, 'create');
    expect(parsed.active).toBe(true);
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      userName: 'alex.kim@example.com',
      name: { formatted: 'Alex Kim', familyName: 'Kim', givenName: 'Alex' },
      active: true,
      emails: [{ value: 'Alex.Kim@Example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Sales' },
    });
    expect(parsed.primaryEmail).toBe('alex.kim@example.com');
  });

  it('takes a lone object where a list belongs, and a bare string as a value', () => {
    const parsed = parseUserInput(
      {
        schemas: [USER_SCHEMA_ID],
        userName: 'a',
        emails: { value: 'a@example.com', type: 'work' },
        roles: ['Admin', 'Reader'],
      },
      'create',
    );
    expect(parsed.resource.emails).toEqual([{ value: 'a@example.com', type: 'work' }]);
    expect(parsed.resource.roles).toEqual([{ value: 'Admin' }, { value: 'Reader' }]);
  });
});

describe('parseUserInput: names and values', () => {
  it('matches attribute names, sub-attribute names and the extension URN in any case', () => {
    const parsed = parseUserInput(
      {
        SCHEMAS: [USER_SCHEMA_ID.toLowerCase()],
        UserName: 'bjensen',
        DISPLAYNAME: 'Babs Jensen',
        NAME: { GivenName: 'Barbara', FAMILYNAME: 'Jensen' },
        Emails: [{ VALUE: 'bjensen@example.com', Primary: true, TYPE: 'Work' }],
        ExternalID: 'b-1',
        [ENTERPRISE.toUpperCase()]: { Department: 'Tour Operations', MANAGER: { Value: 'm-1' } },
      },
      'create',
    );
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      externalId: 'b-1',
      userName: 'bjensen',
      name: { familyName: 'Jensen', givenName: 'Barbara' },
      displayName: 'Babs Jensen',
      active: true,
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Tour Operations', manager: { value: 'm-1' } },
    });
  });

  it('ignores unknown attributes, unknown extensions and attributes Gatehouse does not keep', () => {
    const parsed = parseUserInput(
      {
        schemas: [USER_SCHEMA_ID, 'urn:okta:custom:user:1.0'],
        userName: 'a',
        favouriteColour: 'green',
        ims: [{ value: 'someaimhandle', type: 'aim' }],
        x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw' }],
        'urn:okta:custom:user:1.0': { costCode: 7 },
        name: { givenName: 'A', nickname: 'not a name part' },
      },
      'create',
    );
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID],
      userName: 'a',
      name: { givenName: 'A' },
      active: true,
    });
  });

  it('ignores read-only attributes and sub-attributes instead of refusing them', () => {
    const parsed = parseUserInput(
      {
        schemas: [USER_SCHEMA_ID, ENTERPRISE],
        id: 'client-chosen',
        userName: 'a',
        meta: { resourceType: 'User', version: 'W/"9"' },
        groups: [{ value: 'g-1', display: 'Admins' }],
        [ENTERPRISE]: { manager: { value: 'm-1', displayName: 'Boss' } },
      },
      'create',
    );
    expect(parsed.resource).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      userName: 'a',
      active: true,
      [ENTERPRISE]: { manager: { value: 'm-1' } },
    });
  });

  it('writes canonical values in their defined spelling and keeps other values as sent', () => {
    const parsed = parseUserInput(
      {
        schemas: [USER_SCHEMA_ID],
        userName: 'a',
        phoneNumbers: [
          { value: '+1 555 0100', type: 'MOBILE' },
          { value: '+1 555 0101', type: 'satellite' },
        ],
        addresses: [{ streetAddress: '100 Universal City Plaza', type: 'Work', primary: 'true' }],
      },
      'create',
    );
    expect(parsed.resource.phoneNumbers).toEqual([
      { value: '+1 555 0100', type: 'mobile' },
      { value: '+1 555 0101', type: 'satellite' },
    ]);
    expect(parsed.resource.addresses).toEqual([
      { streetAddress: '100 Universal City Plaza', type: 'work', primary: true },
    ]);
  });

  it('reads numbers sent for text as their decimal text', () => {
    const parsed = parseUserInput(
      { schemas: [USER_SCHEMA_ID], userName: 'a', [ENTERPRISE]: { employeeNumber: 701984 } },
      'create',
    );
    expect(parsed.resource[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
  });

  it('drops empty values: blank strings, nulls, empty lists and objects', () => {
    const parsed = parseUserInput(
      {
        schemas: [USER_SCHEMA_ID],
        userName: 'a',
        title: '  ',
        nickName: null,
        emails: [],
        name: { middleName: '' },
        roles: [null],
      },
      'create',
    );
    expect(parsed.resource).toEqual({ schemas: [USER_SCHEMA_ID], userName: 'a', active: true });
  });
});

describe('parseUserInput: derived fields', () => {
  const user = (emails: unknown) =>
    parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', emails }, 'create');

  it('picks the primary email, else the first work email, else the first, lower-cased', () => {
    expect(
      user([
        { value: 'home@example.com', type: 'home' },
        { value: 'Work@Example.com', type: 'work' },
        { value: 'Primary@Example.com', type: 'other', primary: true },
      ]).primaryEmail,
    ).toBe('primary@example.com');
    expect(
      user([
        { value: 'home@example.com', type: 'home' },
        { value: 'Work@Example.com', type: 'Work' },
      ]).primaryEmail,
    ).toBe('work@example.com');
    expect(
      user([{ value: 'Home@Example.com', type: 'home' }, { value: 'other@example.com' }]).primaryEmail,
    ).toBe('home@example.com');
    expect(user([{ type: 'work' }]).primaryEmail).toBeNull();
    expect(user(undefined).primaryEmail).toBeNull();
  });

  it('normalises userName to NFC lower case for uniqueness, keeping the value as sent', () => {
    const decomposed = 'A\u030Angstr\u00F6m@Example.com';
    const parsed = parseUserInput({ schemas: [USER_SCHEMA_ID], userName: decomposed }, 'create');
    expect(parsed.userName).toBe(decomposed);
    expect(parsed.userNameNormalised).toBe('\u00E5ngstr\u00F6m@example.com');
  });

  it('defaults active to true on create, and leaves it to the store on replace', () => {
    const body = { schemas: [USER_SCHEMA_ID], userName: 'a' };
    expect(parseUserInput(body, 'create')).toMatchObject({ active: true, resource: { active: true } });
    const replaced = parseUserInput(body, 'replace');
    expect(replaced.active).toBeUndefined();
    expect(replaced.resource).toEqual({ schemas: [USER_SCHEMA_ID], userName: 'a' });
    expect(parseUserInput({ ...body, active: false }, 'replace').active).toBe(false);
  });

  it('gives externalId as sent, caseExact, or null', () => {
    expect(
      parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', externalId: 'AbC' }, 'create').externalId,
    ).toBe('AbC');
    expect(
      parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', externalId: '' }, 'create').externalId,
    ).toBeNull();
  });
});

describe('parseUserInput: refusals', () => {
  it('refuses a body that is not a JSON object', () => {
    for (const body of [null, 'userName=a', [{ schemas: [USER_SCHEMA_ID], userName: 'a' }], 42]) {
      expect(failure(() => parseUserInput(body, 'create'))).toEqual({
        status: 400,
        scimType: 'invalidSyntax',
        detail: 'The request body must be a JSON object.',
      });
    }
  });

  it('refuses a body whose schemas do not name the core User schema', () => {
    for (const schemas of [
      undefined,
      USER_SCHEMA_ID,
      [],
      ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      [ENTERPRISE],
    ]) {
      expect(failure(() => parseUserInput({ schemas, userName: 'a' }, 'create'))).toEqual({
        status: 400,
        scimType: 'invalidSyntax',
        detail: `schemas must include ${USER_SCHEMA_ID}`,
      });
    }
  });

  it('refuses a missing or blank userName', () => {
    for (const userName of [undefined, null, '', '   ']) {
      expect(failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName }, 'replace'))).toEqual({
        status: 400,
        scimType: 'invalidValue',
        detail: 'Attribute userName is required.',
      });
    }
  });

  it('refuses values of the wrong type, naming the attribute', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ userName: { value: 'a' } }, 'Attribute userName must be a string.'],
      [{ active: 'yes' }, 'Attribute active must be true or false.'],
      [{ active: 1 }, 'Attribute active must be true or false.'],
      [{ name: 'Barbara Jensen' }, 'Attribute name must be a JSON object.'],
      [
        { emails: [{ value: 'a@example.com', primary: 'sometimes' }] },
        'Attribute emails[0].primary must be true or false.',
      ],
      [
        { [ENTERPRISE]: { manager: { value: ['m-1'] } } },
        `Attribute ${ENTERPRISE}:manager.value must be a string.`,
      ],
    ];
    for (const [extra, detail] of cases) {
      expect(
        failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', ...extra }, 'create')),
      ).toEqual({
        status: 400,
        scimType: 'invalidValue',
        detail,
      });
    }
  });

  it('refuses two primary values in one attribute (RFC 7643 §2.4)', () => {
    const emails = [
      { value: 'a@example.com', primary: true },
      { value: 'b@example.com', primary: 'True' },
    ];
    expect(
      failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', emails }, 'create')).detail,
    ).toBe('Attribute emails has more than one primary value.');
  });

  it('refuses the same attribute twice in different cases', () => {
    expect(
      failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', USERNAME: 'b' }, 'create')),
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Attribute USERNAME is given twice.',
    });
  });

  it('holds strings to 1,024 characters', () => {
    expect(
      parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'u'.repeat(1024) }, 'create').userName,
    ).toHaveLength(1024);
    expect(
      failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'u'.repeat(1025) }, 'create')),
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Attribute userName must be at most 1024 characters.',
    });
    const longName = { givenName: 'g'.repeat(1025) };
    expect(
      failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', name: longName }, 'create'))
        .detail,
    ).toBe('Attribute name.givenName must be at most 1024 characters.');
  });

  it('holds emails to 20 values and roles to 100', () => {
    const emails = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ value: `u${i}@example.com` }));
    const roles = (count: number) => Array.from({ length: count }, (_, i) => ({ value: `role-${i}` }));
    expect(
      parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', emails: emails(20) }, 'create').resource
        .emails,
    ).toHaveLength(20);
    expect(
      failure(() =>
        parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', emails: emails(21) }, 'create'),
      ),
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Attribute emails must have at most 20 values.',
    });
    expect(
      parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', roles: roles(100) }, 'create').resource
        .roles,
    ).toHaveLength(100);
    expect(
      failure(() => parseUserInput({ schemas: [USER_SCHEMA_ID], userName: 'a', roles: roles(101) }, 'create'))
        .detail,
    ).toBe('Attribute roles must have at most 100 values.');
  });
});
