import { describe, expect, it } from '@jest/globals';
import { impersonatedAccess } from '../../../src/domain/impersonation/impersonation-scope.js';
import type { TenantAccess } from '../../../src/domain/organizations/organization-access.js';

const standing = (permissions: string[]): TenantAccess => ({
  organizationId: 'org_1',
  slug: 'acme',
  roles: ['agent', 'owner'],
  permissions,
  admin: true,
});

describe('what an impersonation’s tokens state', () => {
  it('keeps the approved permissions the user holds, and no roles or admin flag', () => {
    expect(
      impersonatedAccess(
        { readOnly: false, permissions: ['claims:read', 'billing:read', 'admin:delete', 'claims:read'] },
        standing(['claims:read', 'billing:read', 'claims:write']),
      ),
    ).toEqual({
      organizationId: 'org_1',
      slug: 'acme',
      roles: [],
      permissions: ['billing:read', 'claims:read'],
      admin: false,
    });
  });

  it('reads the user’s wildcard grants as resource servers do', () => {
    expect(
      impersonatedAccess(
        { readOnly: false, permissions: ['claims:read', 'billing:read'] },
        standing(['claims:*']),
      ).permissions,
    ).toEqual(['claims:read']);
    expect(
      impersonatedAccess({ readOnly: false, permissions: ['claims:read', 'billing:read'] }, standing(['*']))
        .permissions,
    ).toEqual(['billing:read', 'claims:read']);
  });

  it('states nothing but the organization when read-only', () => {
    expect(impersonatedAccess({ readOnly: true, permissions: [] }, standing(['*']))).toMatchObject({
      roles: [],
      permissions: [],
      admin: false,
    });
  });
});
