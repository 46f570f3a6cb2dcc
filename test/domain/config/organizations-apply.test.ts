import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { organizationsExample } from '../../support/issue-example.js';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { allPages } from '../../../src/domain/all-pages.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../../src/domain/organizations/admin-principal.js';
import { createDomainsAdmin } from '../../../src/domain/organizations/domains-admin.js';
import { createMembershipsAdmin } from '../../../src/domain/organizations/memberships-admin.js';
import { createOrganizationsAdmin } from '../../../src/domain/organizations/organizations-admin.js';
import { createRolesAdmin } from '../../../src/domain/organizations/roles-admin.js';
import type { Database, Repositories } from '../../../src/domain/ports/repositories.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const SOURCE = 'organizations.yaml';
const deps: ConfigDeps = {
  envelope: createEnvelope(randomBytes(32)),
  hasher: createArgon2Hasher(),
  source: SOURCE,
};
const admin: AdminPrincipal = { actor: { type: 'cli', id: 'tester' }, scope: ENVIRONMENT_SCOPE };
const desired = (text: string) => parseConfigText(text, SOURCE, {});
const unique = () => randomUUID().slice(0, 8);

/** The issue's example, with slugs and domains of this test only. */
const issueExample = (id: string) =>
  organizationsExample({
    root: `mu-${id}`,
    sub: `cargo-${id}`,
    domains: [`underwriters-${id}.example`, `uw-${id}.example`],
  });

const WRITES: Partial<Record<keyof Repositories, string[]>> = {
  users: ['create', 'update', 'delete'],
  clients: ['upsert', 'delete'],
  organizations: ['create', 'update', 'delete'],
  roles: ['create', 'update', 'delete'],
  memberships: ['create', 'update', 'delete', 'removeRole'],
  domains: ['create', 'update', 'delete'],
  connections: ['create', 'update', 'delete'],
  audit: ['append'],
};

/** Wraps every write method of the apply transaction: counts them, or fails after `failAfter`. */
function instrumented(db: Database, failAfter = Infinity): { db: Database; writes: () => number } {
  let count = 0;
  const wrap = (repos: Repositories): Repositories => {
    const copy = { ...repos } as Record<string, unknown>;
    for (const [name, methods] of Object.entries(WRITES)) {
      const repo = repos[name as keyof Repositories] as unknown as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      const wrapped: Record<string, unknown> = { ...repo };
      for (const method of methods) {
        wrapped[method] = (...args: unknown[]) =>
          ++count > failAfter ? Promise.reject(new Error('disk on fire')) : repo[method]!(...args);
      }
      copy[name] = wrapped;
    }
    return copy as unknown as Repositories;
  };
  return {
    db: { ...db, withLock: (name, work) => db.withLock(name, (repos) => work(wrap(repos))) },
    writes: () => count,
  };
}

describe('declarative organizations apply (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;

  beforeAll(async () => {
    // Apply deletes every config-owned organization missing from the file: a database of its own.
    scratch = await createScratchDatabase('gatehouse_org_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const snapshot = async () => {
    const organizations = await allPages((page) => db.organizations.list({}, page));
    const ids = organizations.map((org) => org.id);
    const domains = (await Promise.all(ids.map((id) => db.domains.listFor(id)))).flat();
    return {
      organizations: organizations.map(({ updatedAt: _u, ...rest }) => rest),
      roles: (await db.roles.listFor(ids)).map(({ updatedAt: _u, ...rest }) => rest),
      domains,
      audit: (await db.audit.list({}, { limit: 10_000 })).length,
    };
  };

  it('creates the tree of the issue example, then a second apply writes nothing', async () => {
    const id = unique();
    const first = await applyConfig(db, desired(issueExample(id)), deps);
    expect(first.entries.map((entry) => `${entry.kind} ${entry.id} ${entry.action}`)).toEqual([
      `organization mu-${id} create`,
      `role mu-${id}/senior_underwriter create`,
      `role mu-${id}/claims_adjuster create`,
      `domain mu-${id}/underwriters-${id}.example create`,
      `domain mu-${id}/uw-${id}.example create`,
      `organization cargo-${id} create`,
      `role cargo-${id}/cargo_specialist create`,
    ]);
    expect(first.byKind).toEqual({
      organization: { create: 2, update: 0, delete: 0, unchanged: 0 },
      role: { create: 3, update: 0, delete: 0, unchanged: 0 },
      domain: { create: 2, update: 0, delete: 0, unchanged: 0 },
    });

    const parent = await db.organizations.findBySlug(`mu-${id}`);
    const child = await db.organizations.findBySlug(`cargo-${id}`);
    expect(parent).toMatchObject({
      name: `mu-${id}`,
      parentId: null,
      managedBy: 'config',
      securityPolicies: { mfa: 'required_for_admins', session_timeout: '8h', concurrent_sessions: 3 },
    });
    expect(child).toMatchObject({ parentId: parent?.id, managedBy: 'config' });
    const claims = await db.domains.listFor(parent!.id);
    expect(
      claims.map(({ domain, verificationMethod, managedBy }) => ({ domain, verificationMethod, managedBy })),
    ).toEqual([
      { domain: `underwriters-${id}.example`, verificationMethod: 'operator', managedBy: 'config' },
      { domain: `uw-${id}.example`, verificationMethod: 'operator', managedBy: 'config' },
    ]);
    expect(claims.every((claim) => claim.verifiedAt instanceof Date)).toBe(true);
    const effective = await createOrganizationsAdmin(db).effective(admin, `cargo-${id}`);
    expect(effective.roles.map((role) => role.name).sort()).toEqual([
      'cargo_specialist',
      'claims_adjuster',
      'senior_underwriter',
    ]);
    expect(effective.policies.values).toMatchObject({ mfa: 'required_for_admins' });

    const counting = instrumented(db);
    const second = await applyConfig(counting.db, desired(issueExample(id)), deps);
    expect(second.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 7 });
    expect(counting.writes()).toBe(0);
  });

  it('records each write in the audit log with the file as the actor', async () => {
    const id = unique();
    await applyConfig(db, desired(issueExample(id)), deps);
    const parent = await db.organizations.findBySlug(`mu-${id}`);
    const records = await db.audit.list({ organizationIds: [parent!.id] }, { limit: 100 });
    expect(records.map((record) => record.action)).toEqual([
      'organization.create',
      'role.create',
      'role.create',
      'domain.create',
      'domain.create',
    ]);
    for (const record of records) expect(record.actor).toEqual({ type: 'config', id: SOURCE });
    expect(records[0]).toMatchObject({ targetType: 'organization', targetId: parent!.id, before: null });
  });

  it('deletes a sub-organization that left the file, children before parents, and dropped roles', async () => {
    const id = unique();
    const nested = `${issueExample(id)}        sub_organizations:\n          bulk-${id}: {}\n`.replace(
      `cargo-${id}: { roles: [{ name: cargo_specialist, permissions: ["cargo_underwriting"] }] }`,
      `cargo-${id}:\n        roles: [{ name: cargo_specialist }]`,
    );
    await applyConfig(db, desired(nested), deps);
    expect(await db.organizations.findBySlug(`bulk-${id}`)).toBeDefined();

    const smaller = issueExample(id)
      .split('    sub_organizations:')[0]!
      .replace(/ {6}- name: claims_adjuster\n.*\n/, '');
    const result = await applyConfig(db, desired(smaller), deps);
    expect(result.entries.filter((entry) => entry.action === 'delete').map((entry) => entry.id)).toEqual([
      `mu-${id}/claims_adjuster`,
      `bulk-${id}`,
      `cargo-${id}`,
    ]);
    expect(await db.organizations.findBySlug(`cargo-${id}`)).toBeUndefined();
    expect(await db.organizations.findBySlug(`bulk-${id}`)).toBeUndefined();
    const parent = await db.organizations.findBySlug(`mu-${id}`);
    expect((await db.roles.listFor([parent!.id])).map((role) => role.name)).toEqual(['senior_underwriter']);
  });

  it('changes nothing when one write of the apply fails', async () => {
    const id = unique();
    await applyConfig(db, desired(issueExample(id)), deps);
    const before = await snapshot();
    const changed = issueExample(id)
      .replace('session_timeout: 8h', 'session_timeout: 4h')
      .replace(`uw-${id}.example`, `new-${id}.example`)
      .replace('cargo_underwriting', 'cargo_claims');
    // Writes run in order: the first three succeed (a released claim, its audit record, the
    // organization update), then one fails.
    await expect(applyConfig(instrumented(db, 3).db, desired(changed), deps)).rejects.toThrow('disk on fire');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses, writing nothing, a domain another organization has verified', async () => {
    const id = unique();
    const other = await createOrganizationsAdmin(db).create(admin, { slug: `other-${id}`, name: 'Other' });
    await createDomainsAdmin(db, { resolveTxt: () => Promise.resolve([]) }).add(admin, other.slug, {
      domain: `uw-${id}.example`,
      verified: true,
    });
    await applyConfig(db, desired(issueExample(unique())), deps);
    const before = await snapshot();
    const apply = applyConfig(db, desired(issueExample(id)), deps);
    await expect(apply).rejects.toThrow(ConflictError);
    await expect(applyConfig(db, desired(issueExample(id)), deps)).rejects.toThrow(
      `domain uw-${id}.example (organization mu-${id}) is already verified by organization other-${id}`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('takes over an organization created by an admin, making the file its whole list of roles', async () => {
    const id = unique();
    const organizations = createOrganizationsAdmin(db);
    await organizations.create(admin, { slug: `mu-${id}`, name: 'Made by hand' });
    await createRolesAdmin(db).create(admin, `mu-${id}`, {
      name: 'legacy',
      permissions: ['old'],
      admin: false,
      overridable: false,
    });
    await createDomainsAdmin(db, { resolveTxt: () => Promise.resolve([]) }).add(admin, `mu-${id}`, {
      domain: `uw-${id}.example`,
      verified: false,
    });
    const user = await db.users.create({
      id: `usr_${id}`,
      email: `member-${id}@example.test`,
      emailVerified: true,
      name: null,
      passwordHash: null,
      managedBy: null,
    });
    await createMembershipsAdmin(db).add(admin, `mu-${id}`, {
      user_id: user.id,
      roles: ['legacy'],
      status: 'active',
    });

    const entries = await planConfig(db, desired(issueExample(id)), deps);
    const ours = entries.filter((entry) => entry.id.includes(id) && entry.action !== 'unchanged');
    expect(ours.filter((entry) => entry.kind !== 'role' || entry.action === 'delete')).toEqual([
      {
        kind: 'organization',
        id: `mu-${id}`,
        action: 'update',
        changes: ['name', 'security_policies', 'managed_by'],
      },
      { kind: 'domain', id: `mu-${id}/underwriters-${id}.example`, action: 'create', changes: [] },
      {
        kind: 'domain',
        id: `mu-${id}/uw-${id}.example`,
        action: 'update',
        changes: ['verified', 'managed_by'],
      },
      { kind: 'organization', id: `cargo-${id}`, action: 'create', changes: [] },
      { kind: 'role', id: `mu-${id}/legacy`, action: 'delete', changes: [] },
    ]);
    await applyConfig(db, desired(issueExample(id)), deps);
    const taken = await db.organizations.findBySlug(`mu-${id}`);
    expect(taken).toMatchObject({ managedBy: 'config', name: `mu-${id}` });
    expect((await db.roles.listFor([taken!.id])).map((role) => role.name).sort()).toEqual([
      'claims_adjuster',
      'senior_underwriter',
    ]);
    expect(await db.memberships.find(user.id, taken!.id)).toMatchObject({ roles: [] });
    expect(await db.domains.find(taken!.id, `uw-${id}.example`)).toMatchObject({
      managedBy: 'config',
      verificationMethod: 'operator',
    });
  });

  it('withdraws its own attestation for verified: false but keeps a DNS proof', async () => {
    const id = unique();
    await applyConfig(db, desired(issueExample(id)), deps);
    const pending = issueExample(id).replace(
      `"uw-${id}.example"`,
      `{ domain: "uw-${id}.example", verified: false }`,
    );
    const result = await applyConfig(db, desired(pending), deps);
    expect(result.entries.find((entry) => entry.kind === 'domain' && entry.action !== 'unchanged')).toEqual({
      kind: 'domain',
      id: `mu-${id}/uw-${id}.example`,
      action: 'update',
      changes: ['verified'],
    });
    const parent = await db.organizations.findBySlug(`mu-${id}`);
    expect(await db.domains.find(parent!.id, `uw-${id}.example`)).toMatchObject({
      verifiedAt: null,
      verificationMethod: null,
    });
    expect((await applyConfig(db, desired(pending), deps)).summary.update).toBe(0);

    // Proven by DNS later: the file's verified: false does not undo that.
    const claim = await db.domains.find(parent!.id, `uw-${id}.example`);
    const zone = { resolveTxt: () => Promise.resolve([[claim!.verificationToken]]) };
    await createDomainsAdmin(db, zone).verify(admin, `mu-${id}`, `uw-${id}.example`, 'dns');
    expect((await applyConfig(db, desired(pending), deps)).summary.update).toBe(0);
    expect(await db.domains.find(parent!.id, `uw-${id}.example`)).toMatchObject({
      verificationMethod: 'dns',
    });
  });
});
