import { describe, expect, it } from '@jest/globals';
import {
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  serviceProviderConfig,
} from '../../../../src/domain/scim/model/discovery.js';
import { ScimError } from '../../../../src/domain/scim/model/scim-error.js';
import { ENTERPRISE, GROUP_SCHEMA_ID, USER_SCHEMA_ID } from '../scim-test-helpers.js';

const BASE = 'https://id.example.test/scim/v2/dir_123';

describe('serviceProviderConfig', () => {
  it('advertises what the service supports (RFC 7643 §5)', () => {
    expect(serviceProviderConfig(`${BASE}/`)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication with the directory token issued by Gatehouse, sent as a bearer token.',
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });
});

describe('resourceTypes', () => {
  const user = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA_ID,
    schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
  };
  const group = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA_ID,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/Group` },
  };

  it('lists User with the enterprise extension, and Group (RFC 7643 §6)', () => {
    expect(resourceTypes(BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      startIndex: 1,
      itemsPerPage: 2,
      Resources: [user, group],
    });
  });

  it('answers one resource type by id, case-insensitively, and 404 for others', () => {
    expect(resourceTypeById(BASE, 'User')).toEqual(user);
    expect(resourceTypeById(BASE, 'group')).toEqual(group);
    expect(() => resourceTypeById(BASE, 'Device')).toThrow(ScimError);
    try {
      resourceTypeById(BASE, 'Device');
    } catch (error) {
      expect(error).toMatchObject({
        status: 404,
        scimType: undefined,
        detail: 'Resource type Device not found.',
      });
    }
  });
});

describe('schemas', () => {
  it('lists the three schemas, each with meta', () => {
    const list = schemas(BASE);
    expect(list.totalResults).toBe(3);
    expect(list.Resources.map((schema) => [schema.id, schema.name, schema.meta])).toEqual([
      [USER_SCHEMA_ID, 'User', { resourceType: 'Schema', location: `${BASE}/Schemas/${USER_SCHEMA_ID}` }],
      [ENTERPRISE, 'EnterpriseUser', { resourceType: 'Schema', location: `${BASE}/Schemas/${ENTERPRISE}` }],
      [GROUP_SCHEMA_ID, 'Group', { resourceType: 'Schema', location: `${BASE}/Schemas/${GROUP_SCHEMA_ID}` }],
    ]);
  });

  it('shows attributes as RFC 7643 §7 does, from the same definitions the parser uses', () => {
    const user = schemaById(BASE, USER_SCHEMA_ID.toUpperCase());
    expect(user.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
    expect(user.attributes.map((attribute) => attribute.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'addresses',
      'groups',
      'roles',
    ]);
    const emails = user.attributes.find((attribute) => attribute.name === 'emails');
    expect(emails).toEqual({
      name: 'emails',
      type: 'complex',
      multiValued: true,
      description: 'Email addresses for the user.',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          multiValued: false,
          description: 'Email address for the user, canonicalized per RFC 5321.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        expect.objectContaining({ name: 'display', type: 'string' }),
        expect.objectContaining({ name: 'type', canonicalValues: ['work', 'home', 'other'] }),
        expect.objectContaining({ name: 'primary', type: 'boolean' }),
      ],
    });
    expect(user.attributes.find((attribute) => attribute.name === 'profileUrl')).toMatchObject({
      type: 'reference',
      referenceTypes: ['external'],
    });
  });

  it('shows the enterprise manager and the group members', () => {
    const manager = schemaById(BASE, ENTERPRISE).attributes.find((attribute) => attribute.name === 'manager');
    expect(manager?.subAttributes?.map((sub) => [sub.name, sub.mutability])).toEqual([
      ['value', 'readWrite'],
      ['$ref', 'readWrite'],
      ['displayName', 'readOnly'],
    ]);
    const group = schemaById(BASE, GROUP_SCHEMA_ID);
    expect(group.attributes.map((attribute) => [attribute.name, attribute.required])).toEqual([
      ['displayName', true],
      ['members', false],
    ]);
  });

  it('answers 404 for a schema it does not have', () => {
    expect(() => schemaById(BASE, 'urn:ietf:params:scim:schemas:core:2.0:Device')).toThrow(
      'Schema urn:ietf:params:scim:schemas:core:2.0:Device not found.',
    );
  });
});
