import { describe, expect, it } from '@jest/globals';
import {
  attributeDefinition,
  resolveAttributePath,
} from '../../../../src/domain/scim/model/attribute-lookup.js';
import {
  GROUP_ATTRIBUTE_SETS,
  USER_ATTRIBUTE_SETS,
} from '../../../../src/domain/scim/model/attribute-sets.js';
import { GROUP_RESOURCE, USER_RESOURCE } from '../../../../src/domain/scim/model/resource-schemas.js';
import { ENTERPRISE, GROUP_SCHEMA_ID, USER_SCHEMA_ID } from '../scim-test-helpers.js';

describe('schema definitions', () => {
  it('states userName as RFC 7643 §8.7.1 does', () => {
    expect(attributeDefinition(USER_SCHEMA_ID, 'userName')).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: 'Unique identifier for the User, used to sign in. REQUIRED.',
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
  });

  it('makes password write-only and never returned, groups read-only, id always returned', () => {
    expect(attributeDefinition(USER_SCHEMA_ID, 'password')).toMatchObject({
      mutability: 'writeOnly',
      returned: 'never',
    });
    expect(attributeDefinition(USER_SCHEMA_ID, 'groups')).toMatchObject({
      mutability: 'readOnly',
      multiValued: true,
    });
    expect(attributeDefinition(USER_SCHEMA_ID, 'id')).toMatchObject({
      mutability: 'readOnly',
      returned: 'always',
      caseExact: true,
      uniqueness: 'server',
    });
    expect(attributeDefinition(GROUP_SCHEMA_ID, 'externalId')).toMatchObject({
      caseExact: true,
      mutability: 'readWrite',
    });
    expect(attributeDefinition(ENTERPRISE, 'id')).toBeUndefined();
  });

  it('looks names and schema URNs up case-insensitively, sub-attributes with a dot', () => {
    expect(attributeDefinition(USER_SCHEMA_ID.toUpperCase(), 'USERNAME')?.name).toBe('userName');
    expect(attributeDefinition(USER_SCHEMA_ID, 'Emails.Primary')).toMatchObject({
      name: 'primary',
      type: 'boolean',
    });
    expect(attributeDefinition(ENTERPRISE, 'manager.displayName')).toMatchObject({ mutability: 'readOnly' });
    expect(attributeDefinition(GROUP_SCHEMA_ID, 'members.value')).toMatchObject({ mutability: 'immutable' });
    expect(attributeDefinition(USER_SCHEMA_ID, 'ims')).toBeUndefined();
    expect(attributeDefinition(USER_SCHEMA_ID, 'name.givenName.extra')).toBeUndefined();
    expect(attributeDefinition('urn:example:unknown', 'userName')).toBeUndefined();
  });

  it('requires a Group displayName, as RFC 7643 §4.2 says', () => {
    expect(attributeDefinition(GROUP_SCHEMA_ID, 'displayName')).toMatchObject({
      required: true,
      type: 'string',
    });
  });

  it('resolves attribute paths in every RFC 7644 §3.10 form to a canonical spelling', () => {
    const path = (raw: string) => resolveAttributePath(USER_RESOURCE, raw)?.path;
    expect(path('USERNAME')).toBe('userName');
    expect(path('name.GIVENNAME')).toBe('name.givenName');
    expect(path(`${USER_SCHEMA_ID.toLowerCase()}:emails.value`)).toBe('emails.value');
    expect(path(`${ENTERPRISE}:department`)).toBe(`${ENTERPRISE}:department`);
    expect(path(`${ENTERPRISE.toLowerCase()}:Manager.Value`)).toBe(`${ENTERPRISE}:manager.value`);
    expect(path(ENTERPRISE)).toBe(ENTERPRISE);
    expect(path(' meta.version ')).toBe('meta.version');
    expect(path(USER_SCHEMA_ID)).toBeUndefined();
    expect(path('department')).toBeUndefined();
    expect(path('name.nickName')).toBeUndefined();
    expect(path('urn:example:other:title')).toBeUndefined();
    expect(resolveAttributePath(GROUP_RESOURCE, `${ENTERPRISE}:department`)).toBeUndefined();
    expect(resolveAttributePath(USER_RESOURCE, `${ENTERPRISE}:manager`)).toMatchObject({
      extension: true,
      attribute: { name: 'manager', type: 'complex' },
    });
  });

  it('groups the User paths by characteristic', () => {
    expect([...USER_ATTRIBUTE_SETS.boolean]).toEqual([
      'active',
      'emails.primary',
      'phoneNumbers.primary',
      'addresses.primary',
      'roles.primary',
    ]);
    expect([...USER_ATTRIBUTE_SETS.multiValued]).toEqual([
      'emails',
      'phoneNumbers',
      'addresses',
      'groups',
      'roles',
    ]);
    expect([...USER_ATTRIBUTE_SETS.readOnly]).toEqual([
      'id',
      'meta',
      'meta.resourceType',
      'meta.created',
      'meta.lastModified',
      'meta.location',
      'meta.version',
      'groups',
      'groups.value',
      'groups.$ref',
      'groups.display',
      'groups.type',
      `${ENTERPRISE}:manager.displayName`,
    ]);
    expect([...USER_ATTRIBUTE_SETS.caseExact]).toEqual([
      'id',
      'externalId',
      'meta.resourceType',
      'meta.location',
      'meta.version',
    ]);
  });

  it('groups the Group paths by characteristic', () => {
    expect([...GROUP_ATTRIBUTE_SETS.boolean]).toEqual([]);
    expect([...GROUP_ATTRIBUTE_SETS.multiValued]).toEqual(['members']);
    expect(GROUP_ATTRIBUTE_SETS.readOnly.has('members.value')).toBe(false);
    expect(GROUP_ATTRIBUTE_SETS.readOnly.has('id')).toBe(true);
  });
});

describe('attribute paths of the common attributes', () => {
  it('finds meta sub-attributes and externalId, in core schemas only', () => {
    expect(attributeDefinition(USER_SCHEMA_ID, 'META.version')).toMatchObject({
      name: 'version',
      mutability: 'readOnly',
    });
    expect(attributeDefinition(GROUP_SCHEMA_ID, 'externalId')?.name).toBe('externalId');
    expect(resolveAttributePath(USER_RESOURCE, `${ENTERPRISE}:externalId`)).toBeUndefined();
    expect(resolveAttributePath(GROUP_RESOURCE, 'EXTERNALID')).toMatchObject({
      path: 'externalId',
      extension: false,
    });
  });
});
