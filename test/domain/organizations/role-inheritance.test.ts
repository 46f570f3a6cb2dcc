import { describe, expect, it } from '@jest/globals';
import { RuleViolationError } from '../../../src/domain/errors.js';
import { permits } from '../../../src/domain/organizations/permissions.js';
import {
  assertMayDefineRole,
  effectiveRoles,
  permissionsOf,
} from '../../../src/domain/organizations/role-inheritance.js';

const role = (
  organizationId: string,
  name: string,
  permissions: string[],
  extra: { admin?: boolean; overridable?: boolean } = {},
) => ({
  organizationId,
  name,
  permissions,
  admin: extra.admin ?? false,
  overridable: extra.overridable ?? false,
});

describe('role inheritance down the organization tree', () => {
  // root -> division -> team, nearest first as the chain is read.
  const chain = ['team', 'division', 'root'];
  const roles = [
    role('root', 'admin', ['*'], { admin: true }),
    role('root', 'viewer', ['read'], { overridable: true }),
    role('division', 'viewer', ['read', 'export']),
    role('division', 'analyst', ['read', 'analyse']),
    role('team', 'admin', ['nothing']),
    role('team', 'member', ['write']),
  ];

  it('offers the organization’s own roles and every ancestor’s', () => {
    expect([...effectiveRoles(chain, roles).keys()].sort()).toEqual(['admin', 'analyst', 'member', 'viewer']);
  });

  it('lets a sub-organization override only roles marked overridable', () => {
    const effective = effectiveRoles(chain, roles);
    expect(effective.get('viewer')).toMatchObject({ role: { organizationId: 'division' }, inherited: true });
    // root's admin is not overridable: team's definition is ignored.
    expect(effective.get('admin')).toMatchObject({ role: { organizationId: 'root', permissions: ['*'] } });
    expect(effective.get('member')).toMatchObject({ inherited: false });
  });

  it('refuses to define a role over a locked ancestor role, allows an overridable one', () => {
    expect(() => assertMayDefineRole('admin', ['division', 'root'], roles)).toThrow(RuleViolationError);
    expect(() => assertMayDefineRole('viewer', ['root'], roles)).not.toThrow();
    expect(() => assertMayDefineRole('brand_new', ['division', 'root'], roles)).not.toThrow();
  });

  it('grants the union of the held roles’ permissions, ignoring roles no longer offered', () => {
    const granted = permissionsOf(['viewer', 'member', 'deleted_role'], effectiveRoles(chain, roles));
    expect(granted).toEqual({
      roles: ['viewer', 'member'],
      permissions: ['export', 'read', 'write'],
      admin: false,
    });
    expect(permissionsOf(['admin'], effectiveRoles(chain, roles)).admin).toBe(true);
  });
});

describe('permission checks', () => {
  it('honours *, namespace wildcards and exact names only', () => {
    expect(permits(['*'], 'anything')).toBe(true);
    expect(permits(['claims:*'], 'claims:update')).toBe(true);
    expect(permits(['claims:*'], 'claimsx:update')).toBe(false);
    expect(permits(['claims:*'], 'claims')).toBe(false);
    expect(permits(['view_claims'], 'view_claims')).toBe(true);
    expect(permits(['view_claims'], 'view_claims_all')).toBe(false);
    expect(permits([], 'x')).toBe(false);
  });
});
