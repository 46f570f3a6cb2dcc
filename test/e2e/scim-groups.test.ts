import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  GROUP_SCHEMA,
  PATCH_OP,
  USER_SCHEMA,
  scimDirectory,
  type ScimClient,
} from '../support/scim-client.js';
import { OPERATOR } from '../support/tenancy.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** SCIM Groups, group-to-role mapping and /Bulk over HTTP, with Entra ID and Okta group requests. */
describe('SCIM 2.0 Groups and roles', () => {
  let gh: TestGatehouse;
  let scim: ScimClient;
  let domain: string;
  let organizationId: string;

  beforeAll(async () => {
    gh = await startGatehouse();
    const setup = await scimDirectory(gh, {
      name: 'Underwriters',
      roles: [
        { name: 'senior_underwriter', permissions: ['*'] },
        { name: 'auditor', permissions: ['read_audit'] },
      ],
      groupRoleMap: { 'Underwriting Leads': 'senior_underwriter' },
    });
    ({ scim, domain } = setup);
    organizationId = setup.organization.id;
  });
  afterAll(() => gh?.stop());

  const newUser = async (local: string) => {
    const created = await scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: `${local}@${domain}`,
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; userName: string };
  };
  const rolesOf = async (userName: string) => {
    const user = await gh.container.db.users.findByEmail(userName);
    return (await gh.container.db.memberships.find(user!.id, organizationId))?.roles.sort();
  };

  it('gives the mapped role to members of a mapped group, and takes back only that role', async () => {
    const lead = await newUser('lead');
    const other = await newUser('other');
    // An administrator's role stays whatever the directory does.
    const user = await gh.container.db.users.findByEmail(lead.userName);
    await gh.container.admin.memberships.update(OPERATOR, organizationId, user!.id, { roles: ['auditor'] });

    // Entra ID creates the group empty, then adds members with PATCH.
    const group = await scim.call('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'underwriting leads',
      meta: { resourceType: 'Group' },
    });
    expect(group.status).toBe(201);
    const added = await scim.call('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: lead.id }, { value: other.id }] }],
    });
    expect(added.status).toBe(200);
    expect(added.body.members.map((member: { value: string }) => member.value).sort()).toEqual(
      [lead.id, other.id].sort(),
    );
    expect(await rolesOf(lead.userName)).toEqual(['auditor', 'senior_underwriter']);
    expect(await rolesOf(other.userName)).toEqual(['senior_underwriter']);
    const leadRead = await scim.call('GET', `/Users/${lead.id}`);
    expect(leadRead.body.groups).toEqual([
      {
        value: group.body.id,
        display: 'underwriting leads',
        $ref: `${scim.baseUrl}/Groups/${group.body.id}`,
      },
    ]);

    // Entra ID removes a member by value list; Okta by a value-path filter.
    await scim.call('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: lead.id }] }],
    });
    expect(await rolesOf(lead.userName)).toEqual(['auditor']);
    await scim.call('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${other.id}"]` }],
    });
    expect(await rolesOf(other.userName)).toEqual([]);
  });

  it('renames and deletes groups (Okta), moving roles with the name', async () => {
    const member = await newUser('renamed');
    const group = await scim.call('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Temporary',
      members: [{ value: member.id, display: member.userName }],
    });
    expect(await rolesOf(member.userName)).toEqual([]);
    const renamed = await scim.call('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group.body.id, displayName: 'Underwriting Leads' } }],
    });
    expect(renamed.body.displayName).toBe('Underwriting Leads');
    expect(await rolesOf(member.userName)).toEqual(['senior_underwriter']);
    expect((await scim.call('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    expect(await rolesOf(member.userName)).toEqual([]);
    expect((await scim.call('GET', `/Groups/${group.body.id}`)).status).toBe(404);
  });

  it('moves roles at once when the group-to-role map changes', async () => {
    const member = await newUser('auditors');
    await scim.call('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Audit',
      members: [{ value: member.id }],
    });
    expect(await rolesOf(member.userName)).toEqual([]);
    const map = { 'Underwriting Leads': 'senior_underwriter', audit: 'auditor' };
    await gh.container.admin.directories.update(OPERATOR, organizationId, 'scim', { group_role_map: map });
    expect(await rolesOf(member.userName)).toEqual(['auditor']);
    await gh.container.admin.directories.update(OPERATOR, organizationId, 'scim', {
      group_role_map: { 'Underwriting Leads': 'senior_underwriter' },
    });
    expect(await rolesOf(member.userName)).toEqual([]);
  });

  it('filters groups by displayName and leaves members out when asked (Entra ID)', async () => {
    await scim.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Claims Team' });
    const found = await scim.call(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "claims team"')}`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].displayName).toBe('Claims Team');
    expect(found.body.Resources[0].members).toBeUndefined();
  });

  it('runs /Bulk in order with bulkId references, and stops after failOnErrors', async () => {
    const answer = await scim.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      failOnErrors: 1,
      Operations: [
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'u1',
          data: { schemas: [USER_SCHEMA], userName: `bulk1@${domain}` },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Underwriting Leads',
            members: [{ value: 'bulkId:u1' }],
          },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'dup',
          data: { schemas: [USER_SCHEMA], userName: `BULK1@${domain}` },
        },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'never',
          data: { schemas: [USER_SCHEMA], userName: `bulk2@${domain}` },
        },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.Operations.map((operation: { status: string }) => operation.status)).toEqual([
      '201',
      '201',
      '409',
    ]);
    expect(answer.body.Operations[2].response).toMatchObject({ scimType: 'uniqueness' });
    expect(await rolesOf(`bulk1@${domain}`)).toEqual(['senior_underwriter']);
    expect(await gh.container.db.users.findByEmail(`bulk2@${domain}`)).toBeUndefined();

    const tooMany = await scim.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: Array.from({ length: 1001 }, (_, index) => ({ method: 'DELETE', path: `/Users/${index}` })),
    });
    expect(tooMany.status).toBe(413);
    const oversized = await scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(oversized.status).toBe(413);
    expect(oversized.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });
});
