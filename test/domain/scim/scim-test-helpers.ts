import { ScimError } from '../../../src/domain/scim/model/scim-error.js';

// Spelled out rather than imported from the model, so that a wrong constant there fails a test.
export const USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The ScimError `run` throws; anything else it throws, or nothing, fails the test. */
export function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

/** What a client reads of the ScimError `run` throws (RFC 7644 §3.12). */
export function failure(run: () => unknown): { status: number; scimType?: string; detail: string } {
  const { status, scimType, detail } = scimError(run);
  return { status, scimType, detail };
}

/** Babs Jensen of RFC 7643 §8.3 (enterprise User), as a store would hold her. */
export function bjensen(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA_ID, ENTERPRISE],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: {
      formatted: 'Ms. Barbara J Jensen, III',
      familyName: 'Jensen',
      givenName: 'Barbara',
      middleName: 'Jane',
      honorificPrefix: 'Ms.',
      honorificSuffix: 'III',
    },
    displayName: 'Babs Jensen',
    nickName: 'Babs',
    profileUrl: 'https://login.example.com/bjensen',
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      {
        streetAddress: '100 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'USA',
        formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA',
        type: 'work',
        primary: true,
      },
      {
        streetAddress: '456 Hollywood Blvd',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'USA',
        formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA',
        type: 'home',
      },
    ],
    phoneNumbers: [
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ],
    ims: [{ value: 'someaimhandle', type: 'aim' }],
    userType: 'Employee',
    title: 'Tour Guide',
    preferredLanguage: 'en-US',
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    active: true,
    groups: [
      {
        value: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
        $ref: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
        display: 'Tour Guides',
      },
    ],
    [ENTERPRISE]: {
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: {
        value: '26118915-6090-4610-87e4-49d8ca9f808d',
        $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d',
        displayName: 'John Smith',
      },
    },
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      version: 'W/"3694e05e9dff591"',
      location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
    },
  };
}

/** The Tour Guides of RFC 7643 §8.4, as a store would hold them. */
export function tourGuides(): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA_ID],
    id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
    displayName: 'Tour Guides',
    members: [
      {
        value: '2819c223-7f76-453a-919d-413861904646',
        $ref: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
        display: 'Babs Jensen',
      },
      {
        value: '902c246b-6245-4190-8e05-00816be7344a',
        $ref: 'https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a',
        display: 'Mandy Pepperidge',
      },
    ],
    meta: {
      resourceType: 'Group',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      version: 'W/"3694e05e9dff592"',
      location: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
    },
  };
}

/** Freezes `value` and everything in it, so a test fails if code under test writes to it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
