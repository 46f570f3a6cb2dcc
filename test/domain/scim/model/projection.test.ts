import { describe, expect, it } from '@jest/globals';
import { parseAttributeList } from '../../../../src/domain/scim/model/attribute-list.js';
import type { JsonObject } from '../../../../src/domain/scim/model/json.js';
import { projectResource } from '../../../../src/domain/scim/model/projection.js';
import { attribute } from '../../../../src/domain/scim/model/attribute-definition.js';
import { GROUP_RESOURCE, USER_RESOURCE } from '../../../../src/domain/scim/model/resource-schemas.js';
import type { ResourceSchemas } from '../../../../src/domain/scim/model/resource-schemas.js';
import { ENTERPRISE, USER_SCHEMA_ID } from '../scim-test-helpers.js';

const META = {
  resourceType: 'User',
  created: '2010-01-23T04:56:22Z',
  lastModified: '2011-05-13T04:42:34Z',
  version: 'W/"3694e05e9dff591"',
  location: 'https://example.com/v2/Users/2819c223',
};

const USER: JsonObject = {
  schemas: [USER_SCHEMA_ID, ENTERPRISE],
  id: '2819c223',
  externalId: '701984',
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' },
  displayName: 'Babs Jensen',
  active: true,
  password: 'must never leave',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  groups: [{ value: 'e9e30dba', display: 'Tour Guides' }],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915' } },
  meta: META,
};

const project = (options: Parameters<typeof projectResource>[1]) =>
  projectResource(USER, options, USER_RESOURCE);

describe('projectResource', () => {
  it('returns every default attribute, never the password', () => {
    const { password: _password, ...expected } = USER;
    expect(project({})).toEqual(expected);
    expect(Object.keys(project({}))).toEqual([
      'schemas',
      'id',
      'externalId',
      'userName',
      'name',
      'displayName',
      'active',
      'emails',
      'groups',
      ENTERPRISE,
      'meta',
    ]);
  });

  it('never returns the password, even when asked for it', () => {
    expect(project({ attributes: 'password' })).toEqual({ schemas: [USER_SCHEMA_ID], id: '2819c223' });
  });

  it('returns only the requested attributes plus id and schemas', () => {
    expect(project({ attributes: 'userName,emails' })).toEqual({
      schemas: [USER_SCHEMA_ID],
      id: '2819c223',
      userName: 'bjensen@example.com',
      emails: USER.emails,
    });
  });

  it('returns only requested sub-attributes, in every value of a multi-valued attribute', () => {
    expect(project({ attributes: ['name.givenName', 'emails.value', 'meta.version'] })).toEqual({
      schemas: [USER_SCHEMA_ID],
      id: '2819c223',
      name: { givenName: 'Barbara' },
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }],
      meta: { version: 'W/"3694e05e9dff591"' },
    });
  });

  it('drops values left empty by the selection', () => {
    expect(project({ attributes: 'emails.display,name.honorificPrefix' })).toEqual({
      schemas: [USER_SCHEMA_ID],
      id: '2819c223',
    });
  });

  it('reads URN-qualified and case-folded names, and whole extensions', () => {
    expect(
      project({
        attributes: `USERNAME, ${ENTERPRISE.toLowerCase()}:Department, ${USER_SCHEMA_ID}:displayName`,
      }),
    ).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      id: '2819c223',
      userName: 'bjensen@example.com',
      displayName: 'Babs Jensen',
      [ENTERPRISE]: { department: 'Tour Operations' },
    });
    expect(project({ attributes: ENTERPRISE })).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      id: '2819c223',
      [ENTERPRISE]: USER[ENTERPRISE],
    });
    expect(project({ attributes: `${ENTERPRISE}:manager.value` })).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      id: '2819c223',
      [ENTERPRISE]: { manager: { value: '26118915' } },
    });
  });

  it('removes excluded attributes and sub-attributes, but never id or schemas', () => {
    expect(
      project({
        excludedAttributes: `id,schemas,emails,name.middleName,meta,groups,${ENTERPRISE}:employeeNumber`,
      }),
    ).toEqual({
      schemas: [USER_SCHEMA_ID, ENTERPRISE],
      id: '2819c223',
      externalId: '701984',
      userName: 'bjensen@example.com',
      name: { familyName: 'Jensen', givenName: 'Barbara' },
      displayName: 'Babs Jensen',
      active: true,
      [ENTERPRISE]: { department: 'Tour Operations', manager: { value: '26118915' } },
    });
  });

  it('drops an excluded extension from schemas too', () => {
    expect(project({ excludedAttributes: ENTERPRISE }).schemas).toEqual([USER_SCHEMA_ID]);
    expect(project({ excludedAttributes: ENTERPRISE })).not.toHaveProperty([ENTERPRISE]);
  });

  it('applies attributes, then excludedAttributes', () => {
    expect(project({ attributes: 'userName,emails', excludedAttributes: 'emails.type,userName' })).toEqual({
      schemas: [USER_SCHEMA_ID],
      id: '2819c223',
      emails: [{ value: 'bjensen@example.com', primary: true }, { value: 'babs@jensen.org' }],
    });
  });

  it('ignores names it does not know', () => {
    expect(project({ attributes: 'nope,name.nickName,urn:example:x:y' })).toEqual({
      schemas: [USER_SCHEMA_ID],
      id: '2819c223',
    });
    const { password: _password, ...expected } = USER;
    expect(project({ excludedAttributes: 'nope' })).toEqual(expected);
  });

  it('drops stored keys no schema defines and extensions the resource type does not have', () => {
    const stored = { ...USER, favouriteColour: 'green', 'urn:example:custom': { x: 1 } };
    expect(projectResource(stored, {}, USER_RESOURCE)).not.toHaveProperty('favouriteColour');
    expect(projectResource(stored, {}, USER_RESOURCE)).not.toHaveProperty(['urn:example:custom']);
  });

  it('projects a Group with its own schema', () => {
    const group: JsonObject = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'e9e30dba',
      displayName: 'Tour Guides',
      members: [{ value: '2819c223', display: 'Babs Jensen', type: 'User' }],
      meta: { resourceType: 'Group' },
    };
    expect(projectResource(group, { excludedAttributes: 'members' }, GROUP_RESOURCE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'e9e30dba',
      displayName: 'Tour Guides',
      meta: { resourceType: 'Group' },
    });
    expect(projectResource(group, { attributes: 'members.value' }, GROUP_RESOURCE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'e9e30dba',
      members: [{ value: '2819c223' }],
    });
  });
});

describe('parseAttributeList', () => {
  it('splits on commas, trims, drops empties and joins repeated parameters', () => {
    expect(parseAttributeList(' userName , name.givenName,,')).toEqual(['userName', 'name.givenName']);
    expect(parseAttributeList(['userName', `${ENTERPRISE}:department,emails`])).toEqual([
      'userName',
      `${ENTERPRISE}:department`,
      'emails',
    ]);
    expect(parseAttributeList(undefined)).toEqual([]);
    expect(parseAttributeList('')).toEqual([]);
  });
});

describe('projectResource: returned characteristics', () => {
  // A resource type with a `returned: request` attribute, which neither User nor Group has.
  const THING = 'urn:example:params:scim:schemas:core:2.0:Thing';
  const thing: ResourceSchemas = {
    name: 'User',
    endpoint: '/Users',
    description: 'Thing',
    core: {
      id: THING,
      name: 'Thing',
      description: 'Thing',
      attributes: [
        attribute('label', 'string', 'Shown by default.'),
        attribute('auditTrail', 'string', 'Sent only when asked for.', { returned: 'request' }),
        attribute('secret', 'string', 'Never sent.', { returned: 'never' }),
        attribute('kind', 'string', 'Always sent.', { returned: 'always' }),
      ],
    },
    extensions: [],
  };
  const stored: JsonObject = { id: 't-1', label: 'L', auditTrail: 'A', secret: 'S', kind: 'K' };

  it('leaves request-only attributes out until named', () => {
    expect(projectResource(stored, {}, thing)).toEqual({
      schemas: [THING],
      id: 't-1',
      label: 'L',
      kind: 'K',
    });
    expect(projectResource(stored, { attributes: 'auditTrail' }, thing)).toEqual({
      schemas: [THING],
      id: 't-1',
      auditTrail: 'A',
      kind: 'K',
    });
    expect(projectResource(stored, { attributes: 'secret', excludedAttributes: 'kind,id' }, thing)).toEqual({
      schemas: [THING],
      id: 't-1',
      kind: 'K',
    });
  });
});
