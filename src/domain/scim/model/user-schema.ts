import { attribute, complex, multiValuedComplex } from './attribute-definition.js';
import type { AttributeDefinition, SchemaDefinition } from './attribute-definition.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './schema-urns.js';

const text = (name: string, description: string) => attribute(name, 'string', description);
const primary = attribute('primary', 'boolean', 'Whether this is the preferred value of the attribute.');
const display = attribute('display', 'string', 'A human-readable name, primarily used for display.');
const kind = (noun: string, canonicalValues: readonly string[]) =>
  attribute('type', 'string', `A label indicating the ${noun}'s function.`, { canonicalValues });

const NAME_PARTS: readonly AttributeDefinition[] = [
  text('formatted', 'The full name, formatted for display.'),
  text('familyName', 'The family name (last name in most Western languages).'),
  text('givenName', 'The given name (first name in most Western languages).'),
  text('middleName', 'The middle name(s).'),
  text('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
  text('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
];

/**
 * RFC 7643 §4.1 and §8.7.1, limited to what Gatehouse keeps: `ims`, `photos`, `entitlements` and
 * `x509Certificates` are not listed, so they are ignored on input and never served.
 */
export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', 'string', 'Unique identifier for the User, used to sign in. REQUIRED.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", NAME_PARTS),
    text('displayName', 'The name of the User, suitable for display to end-users.'),
    text('nickName', 'The casual way to address the user in real life.'),
    attribute('profileUrl', 'reference', "A fully qualified URL pointing to the User's online profile.", {
      referenceTypes: ['external'],
    }),
    text('title', 'The user\'s title, such as "Vice President".'),
    text('userType', 'The relationship between the organization and the user, e.g. "Employee".'),
    text('preferredLanguage', "The User's preferred written or spoken language (RFC 7231 §5.3.5)."),
    text('locale', "The User's default location for localizing values (BCP 47 language tag)."),
    text('timezone', 'The User\'s time zone in IANA Time Zone database format, e.g. "America/Los_Angeles".'),
    attribute('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    // RFC 7643 §4.1.1: writeOnly, returned never. A provisioned user signs in through the
    // organization's IdP; a password pushed by the provisioning client would be a second credential
    // outside that IdP's control (its MFA, its offboarding). It is accepted, so clients with
    // password sync on keep working, and discarded.
    attribute('password', 'string', "The User's cleartext password. Accepted and discarded: never stored.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValuedComplex('emails', 'Email addresses for the user.', [
      text('value', 'Email address for the user, canonicalized per RFC 5321.'),
      display,
      kind('email', ['work', 'home', 'other']),
      primary,
    ]),
    multiValuedComplex('phoneNumbers', 'Phone numbers for the User.', [
      text('value', 'Phone number of the User, ideally in RFC 3966 form.'),
      display,
      kind('phone number', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
      primary,
    ]),
    multiValuedComplex('addresses', 'A physical mailing address for this User.', [
      text('formatted', 'The full mailing address, formatted for display.'),
      text('streetAddress', 'The full street address component.'),
      text('locality', 'The city or locality component.'),
      text('region', 'The state or region component.'),
      text('postalCode', 'The zip code or postal code component.'),
      text('country', 'The country name component (ISO 3166-1 alpha-2).'),
      kind('address', ['work', 'home', 'other']),
      primary,
    ]),
    multiValuedComplex(
      'groups',
      'The Groups the user belongs to, directly or indirectly. Managed through the Group resource.',
      [
        attribute('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
        attribute('$ref', 'reference', "The URI of the corresponding 'Group' resource.", {
          mutability: 'readOnly',
          referenceTypes: ['User', 'Group'],
        }),
        attribute('display', 'string', "A human-readable name of the User's group.", {
          mutability: 'readOnly',
        }),
        attribute('type', 'string', "How the membership was derived: 'direct' or 'indirect'.", {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { mutability: 'readOnly' },
    ),
    multiValuedComplex('roles', 'A list of roles for the User.', [
      text('value', 'The value of a role.'),
      display,
      kind('role', []),
      primary,
    ]),
  ],
};

/** RFC 7643 §4.3 and §8.7.1. */
export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    text('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    text('costCenter', 'Identifies the name of a cost center.'),
    text('organization', 'Identifies the name of an organization.'),
    text('division', 'Identifies the name of a division.'),
    text('department', 'Identifies the name of a department.'),
    complex('manager', "The User's manager.", [
      text('value', "The id of the SCIM resource representing the User's manager."),
      attribute('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", {
        referenceTypes: ['User'],
      }),
      attribute('displayName', 'string', "The displayName of the User's manager.", {
        mutability: 'readOnly',
      }),
    ]),
  ],
};
