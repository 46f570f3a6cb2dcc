import { describe, expect, it } from '@jest/globals';
import { appendChangeEvents } from '../../../src/domain/events/change-events.js';
import type { NewEvent } from '../../../src/domain/ports/events.js';
import type { Repositories, UserRecord } from '../../../src/domain/ports/repositories.js';
import type { AuditEntry, MembershipRecord } from '../../../src/domain/ports/tenancy.js';

const at = new Date('2026-11-30T10:00:00.000Z');
const user: UserRecord = {
  id: 'usr_1',
  email: 'ada@example.test',
  emailVerified: true,
  name: 'Ada',
  profile: { locale: 'en' },
  passwordHash: '$argon2id$v=19$secret-hash',
  managedBy: null,
  createdAt: at,
  updatedAt: at,
};
const membership = (organizationId: string): MembershipRecord => ({
  id: `mem_${organizationId}`,
  userId: user.id,
  organizationId,
  status: 'active',
  roles: ['member'],
  ruleRoles: [],
  createdAt: at,
  updatedAt: at,
});

/** The three repositories change events read and write, in memory. */
function fakeRepos(options: { users?: UserRecord[]; memberships?: MembershipRecord[] } = {}) {
  const appended: NewEvent[] = [];
  const repos = {
    events: {
      queue: async (event: NewEvent) => {
        appended.push(event);
      },
    },
    users: { findById: async (id: string) => options.users?.find((candidate) => candidate.id === id) },
    memberships: {
      list: async (filter: { userId?: string }, page: { after?: string; limit: number }) =>
        (options.memberships ?? [])
          .filter((row) => row.userId === filter.userId && (page.after === undefined || row.id > page.after))
          .sort((a, b) => a.id.localeCompare(b.id))
          .slice(0, page.limit),
    },
  } as unknown as Repositories;
  return { repos, appended };
}

const change = (entry: Partial<Omit<AuditEntry, 'actor'>>): Omit<AuditEntry, 'actor'> => ({
  organizationId: 'org_a',
  action: 'membership.create',
  targetType: 'membership',
  targetId: 'mem_1',
  before: null,
  after: null,
  ...entry,
});

describe('events from audited changes', () => {
  it('turns a membership change into one event in its organization, in the admin API spelling', async () => {
    const { repos, appended } = fakeRepos();
    await appendChangeEvents(repos, change({ after: membership('org_a') }));
    expect(appended).toEqual([
      {
        organizationId: 'org_a',
        type: 'membership.created',
        data: {
          id: 'mem_org_a',
          user_id: 'usr_1',
          organization_id: 'org_a',
          status: 'active',
          roles: ['member'],
          rule_roles: [],
          created_at: at.toISOString(),
          updated_at: at.toISOString(),
        },
      },
    ]);
  });

  it('describes a deletion by the object before it', async () => {
    const { repos, appended } = fakeRepos();
    const role = { id: 'rol_1', organizationId: 'org_a', name: 'viewer', permissions: ['read'] };
    await appendChangeEvents(repos, change({ action: 'role.delete', targetType: 'role', before: role }));
    expect(appended).toEqual([
      {
        organizationId: 'org_a',
        type: 'role.deleted',
        data: { id: 'rol_1', organization_id: 'org_a', name: 'viewer', permissions: ['read'] },
      },
    ]);
  });

  it('sends a change to a user to every organization the user belongs to, without the password hash', async () => {
    const { repos, appended } = fakeRepos({
      users: [user],
      memberships: [membership('org_c'), membership('org_b')],
    });
    await appendChangeEvents(
      repos,
      change({ organizationId: null, action: 'user.update', targetType: 'user', targetId: user.id }),
    );
    expect(appended.map((event) => [event.organizationId, event.type])).toEqual([
      ['org_b', 'user.updated'],
      ['org_c', 'user.updated'],
    ]);
    expect(appended[0]?.data).toEqual({
      id: 'usr_1',
      email: 'ada@example.test',
      email_verified: true,
      name: 'Ada',
      profile: { locale: 'en' },
      has_password: true,
      managed_by: null,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    });
    expect(JSON.stringify(appended)).not.toContain('argon2');
  });

  it('sends a user created for an organization to it before the membership exists', async () => {
    const { repos, appended } = fakeRepos({ users: [user] });
    await appendChangeEvents(
      repos,
      change({ organizationId: 'org_a', action: 'user.create', targetType: 'user', targetId: user.id }),
    );
    expect(appended.map((event) => [event.organizationId, event.type])).toEqual([['org_a', 'user.created']]);
  });

  it('falls back to the snapshot of a user already gone, leaving secret members out', async () => {
    const { repos, appended } = fakeRepos({ memberships: [membership('org_a')] });
    const before = { id: user.id, email: user.email, passwordHash: 'hash', hasPassword: true };
    await appendChangeEvents(
      repos,
      change({ organizationId: null, action: 'user.delete', targetType: 'user', targetId: user.id, before }),
    );
    expect(appended).toEqual([
      {
        organizationId: 'org_a',
        type: 'user.deleted',
        data: { id: user.id, email: user.email, has_password: true },
      },
    ]);
  });

  it('names SCIM group changes group.*', async () => {
    const { repos, appended } = fakeRepos();
    await appendChangeEvents(
      repos,
      change({
        action: 'group.member_add',
        targetType: 'directory_group',
        targetId: 'dgr_1',
        after: { groupId: 'dgr_1', userId: 'usr_1' },
      }),
    );
    expect(appended).toEqual([
      { organizationId: 'org_a', type: 'group.member_added', data: { group_id: 'dgr_1', user_id: 'usr_1' } },
    ]);
  });

  it('appends nothing for configuration, keys, factors or unlocks', async () => {
    const { repos, appended } = fakeRepos({ users: [user], memberships: [membership('org_a')] });
    for (const action of [
      'domain.create',
      'connection.update',
      'api_key.create',
      'mfa.reset',
      'user.unlock',
    ]) {
      await appendChangeEvents(repos, change({ action, targetType: action.split('.')[0] ?? '' }));
    }
    expect(appended).toEqual([]);
  });
});
