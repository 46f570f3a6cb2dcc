import { attribute, multiValuedComplex } from './attribute-definition.js';
import type { SchemaDefinition } from './attribute-definition.js';
import { GROUP_SCHEMA } from './schema-urns.js';

/** RFC 7643 §4.2 and §8.7.1. */
export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 §4.2 calls displayName REQUIRED although the §8.7.1 listing says otherwise; the
    // prose wins here, because a group without a name cannot be shown or matched by clients.
    attribute('displayName', 'string', 'A human-readable name for the Group. REQUIRED.', { required: true }),
    multiValuedComplex('members', 'A list of members of the Group.', [
      attribute('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
      attribute(
        '$ref',
        'reference',
        'The URI corresponding to a SCIM resource that is a member of this Group.',
        {
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        },
      ),
      // Not in the §8.7.1 listing, but the RFC 7643 §8.4 example carries it and Okta sends it
      // when adding members.
      attribute('display', 'string', 'A human-readable name for the member.', { mutability: 'immutable' }),
      attribute('type', 'string', 'A label indicating the type of resource, e.g. "User" or "Group".', {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
    ]),
  ],
};
