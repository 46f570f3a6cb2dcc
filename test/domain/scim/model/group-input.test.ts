import { describe, expect, it } from '@jest/globals';
import { parseGroupInput } from '../../../../src/domain/scim/model/group-input.js';
import { failure, GROUP_SCHEMA_ID } from '../scim-test-helpers.js';

describe('parseGroupInput', () => {
  it("keeps Okta's Push Groups create body", () => {
    // Okta developer docs, "SCIM 2.0 protocol reference", Creating groups.
    expect(parseGroupInput({ schemas: [GROUP_SCHEMA_ID], displayName: 'Test SCIM', members: [] })).toEqual({
      resource: { schemas: [GROUP_SCHEMA_ID], displayName: 'Test SCIM' },
      displayName: 'Test SCIM',
      displayNameNormalised: 'test scim',
      externalId: null,
      memberIds: [],
    });
  });

  it("keeps Entra ID's create body with externalId and ignores its meta", () => {
    // Microsoft Learn, "Develop and plan provisioning for a SCIM endpoint", Create Group request.
    const parsed = parseGroupInput({
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:Group',
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
      ],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(parsed).toEqual({
      resource: {
        schemas: [GROUP_SCHEMA_ID],
        externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
        displayName: 'displayName',
      },
      displayName: 'displayName',
      displayNameNormalised: 'displayname',
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      memberIds: [],
    });
  });

  it('keeps members in canonical case, each once, and lists their ids', () => {
    const parsed = parseGroupInput({
      Schemas: [GROUP_SCHEMA_ID],
      DisplayName: 'Tour Guides',
      Members: [
        { Value: '2819c223-7f76-453a-919d-413861904646', Display: 'Babs Jensen', TYPE: 'user' },
        {
          value: '902c246b-6245-4190-8e05-00816be7344a',
          $REF: 'https://example.com/v2/Users/902c246b',
          type: 'Group',
        },
        { value: '2819c223-7f76-453a-919d-413861904646' },
      ],
    });
    expect(parsed.resource.members).toEqual([
      { value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen', type: 'User' },
      {
        value: '902c246b-6245-4190-8e05-00816be7344a',
        $ref: 'https://example.com/v2/Users/902c246b',
        type: 'Group',
      },
    ]);
    expect(parsed.memberIds).toEqual([
      '2819c223-7f76-453a-919d-413861904646',
      '902c246b-6245-4190-8e05-00816be7344a',
    ]);
  });

  it('refuses a group without a displayName', () => {
    for (const displayName of [undefined, null, '', ' \t ']) {
      expect(failure(() => parseGroupInput({ schemas: [GROUP_SCHEMA_ID], displayName }))).toEqual({
        status: 400,
        scimType: 'invalidValue',
        detail: 'Attribute displayName is required.',
      });
    }
  });

  it('refuses a body that is not a Group', () => {
    expect(
      failure(() =>
        parseGroupInput({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'x' }),
      ),
    ).toEqual({
      status: 400,
      scimType: 'invalidSyntax',
      detail: `schemas must include ${GROUP_SCHEMA_ID}`,
    });
  });

  it('refuses a member without a value', () => {
    expect(
      failure(() =>
        parseGroupInput({
          schemas: [GROUP_SCHEMA_ID],
          displayName: 'x',
          members: [{ value: 'a' }, { display: 'b' }],
        }),
      ),
    ).toEqual({ status: 400, scimType: 'invalidValue', detail: 'Attribute members[1].value is required.' });
  });

  it('holds members to 10,000 and displayName to 1,024 characters', () => {
    const members = (count: number) => Array.from({ length: count }, (_, i) => ({ value: `user-${i}` }));
    expect(
      parseGroupInput({ schemas: [GROUP_SCHEMA_ID], displayName: 'x', members: members(10_000) }).memberIds,
    ).toHaveLength(10_000);
    expect(
      failure(() =>
        parseGroupInput({ schemas: [GROUP_SCHEMA_ID], displayName: 'x', members: members(10_001) }),
      ),
    ).toEqual({
      status: 400,
      scimType: 'invalidValue',
      detail: 'Attribute members must have at most 10000 values.',
    });
    expect(
      failure(() => parseGroupInput({ schemas: [GROUP_SCHEMA_ID], displayName: 'd'.repeat(1025) })).detail,
    ).toBe('Attribute displayName must be at most 1024 characters.');
  });
});
