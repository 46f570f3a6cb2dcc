import { describe, expect, it } from '@jest/globals';
import { accessFrom } from '../../../src/domain/organizations/organization-access.js';
import type { OrganizationAccessRow } from '../../../src/domain/ports/tenancy.js';

const row = (overrides: Partial<OrganizationAccessRow> = {}): OrganizationAccessRow => ({
  chain: [
    { id: 'org_sub', slug: 'sub', status: 'active', parentId: 'org_root' },
    { id: 'org_root', slug: 'root', status: 'active', parentId: null },
  ],
  membership: { id: 'mem_1', status: 'active', roles: ['reader', 'cargo'] },
  roles: [
    { organizationId: 'org_sub', name: 'cargo', permissions: ['cargo'], admin: false, overridable: false },
    { organizationId: 'org_root', name: 'reader', permissions: ['read'], admin: false, overridable: false },
  ],
  ...overrides,
});

describe('a user’s standing in an organization', () => {
  it('resolves roles and permissions, including inherited ones', () => {
    expect(accessFrom(row())).toEqual({
      organizationId: 'org_sub',
      slug: 'sub',
      roles: ['reader', 'cargo'],
      permissions: ['cargo', 'read'],
      admin: false,
    });
  });

  it('denies when the organization or any ancestor is suspended', () => {
    const chain = row().chain.map((org) =>
      org.id === 'org_root' ? { ...org, status: 'suspended' as const } : org,
    );
    expect(accessFrom(row({ chain }))).toMatchObject({
      denied: 'organization_suspended',
      roles: [],
      permissions: [],
    });
  });

  it('denies without an active membership, and for a deleted organization', () => {
    expect(accessFrom(row({ membership: null })).denied).toBe('not_a_member');
    expect(accessFrom(row({ membership: { id: 'm', status: 'pending', roles: ['reader'] } })).denied).toBe(
      'membership_inactive',
    );
    expect(accessFrom(row({ membership: { id: 'm', status: 'suspended', roles: ['reader'] } })).denied).toBe(
      'membership_inactive',
    );
    expect(accessFrom(row({ chain: [] })).denied).toBe('organization_deleted');
  });
});
