import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../../../src/config/declarative/load.js';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { applyConfig } from '../../../src/domain/config/apply.js';
import type { ConfigDeps } from '../../../src/domain/config/desired-state.js';
import { planConfig } from '../../../src/domain/config/plan.js';
import { createDirectoriesAdmin } from '../../../src/domain/directories/directories-admin.js';
import { ConflictError } from '../../../src/domain/errors.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../../src/domain/organizations/admin-principal.js';
import { createOrganizationsAdmin } from '../../../src/domain/organizations/organizations-admin.js';
import { digestBearerToken } from '../../../src/lib/crypto/bearer-token.js';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createArgon2Hasher } from '../../../src/lib/crypto/password.js';
import { MIGRATIONS_DIR } from '../../support/paths.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

const SOURCE = 'directories.yaml';
const deps: ConfigDeps = {
  envelope: createEnvelope(randomBytes(32)),
  hasher: createArgon2Hasher(),
  source: SOURCE,
};
const admin: AdminPrincipal = { actor: { type: 'cli', id: 'tester' }, scope: ENVIRONMENT_SCOPE };
const newToken = () => `scim-${randomBytes(24).toString('base64url')}`;

interface FileOptions {
  map?: string;
  token?: boolean;
  okta?: boolean;
  extra?: string;
}

/** The directories of gatehouse.example.yaml under a slug of this test only. */
const fileFor = (slug: string, options: FileOptions = {}) => {
  const {
    map = '{ "Underwriting Leads": senior_underwriter }',
    token = true,
    okta = true,
    extra = '',
  } = options;
  return `version: 1
organizations:
  ${slug}:
    roles:
      - { name: senior_underwriter, permissions: ["*"] }
      - { name: claims_adjuster }
    directories:
      - id: entra-scim
        type: scim
        group_role_map: ${map}
${token ? '        token: ${SCIM_TOKEN}\n' : ''}${okta ? '      - id: okta-scim\n' : ''}${extra}`;
};
const desired = (text: string, token: string) => parseConfigText(text, SOURCE, { SCIM_TOKEN: token });
const lines = (entries: { kind: string; id: string; action: string }[]) =>
  entries.map((entry) => `${entry.kind} ${entry.id} ${entry.action}`);

describe('declarative directories apply (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let db: OpenedDatabase;

  beforeAll(async () => {
    scratch = await createScratchDatabase('gatehouse_directory_apply');
    db = await openDatabase({ url: scratch.url, dataDir: '/nonexistent' });
    await db.migrate(MIGRATIONS_DIR);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('creates, keeps, updates and deletes directories, storing only the digest of the token', async () => {
    const slug = `mu-${randomUUID().slice(0, 8)}`;
    const token = newToken();
    const first = await applyConfig(db, desired(fileFor(slug), token), deps);
    expect(lines(first.entries)).toEqual([
      `organization ${slug} create`,
      `role ${slug}/senior_underwriter create`,
      `role ${slug}/claims_adjuster create`,
      `directory ${slug}/entra-scim create`,
      `directory ${slug}/okta-scim create`,
    ]);
    expect(first.byKind.directory).toEqual({ create: 2, update: 0, delete: 0, unchanged: 0 });
    // Only the directory without a token in the file needs its token fetched.
    expect(first.entries.find((entry) => entry.id === `${slug}/entra-scim`)?.notes).toBeUndefined();
    expect(first.entries.find((entry) => entry.id === `${slug}/okta-scim`)?.notes).toEqual([
      `its token is random and known to nobody: run \`gatehouse directories rotate-token --organization ${slug} --key okta-scim\` ` +
        'to get one (or give the directory a token: ${ENV_VAR} in the file)',
    ]);
    const organization = await db.organizations.findBySlug(slug);
    const [entra, okta] = await db.directories.listFor([organization!.id]);
    expect(entra).toMatchObject({
      key: 'entra-scim',
      managedBy: 'config',
      groupRoleMap: { 'Underwriting Leads': 'senior_underwriter' },
      tokenHash: digestBearerToken(token),
      tokenHint: token.slice(0, 4),
    });
    expect((await db.directories.findByTokenHash(digestBearerToken(token)))?.id).toBe(entra!.id);
    expect(okta).toMatchObject({ key: 'okta-scim', managedBy: 'config', groupRoleMap: {} });
    expect(okta!.tokenHint).toMatch(/^gh_scim_/);

    const second = await applyConfig(db, desired(fileFor(slug), token), deps);
    expect(second.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 5 });
    expect(second.entries.some((entry) => entry.notes)).toBe(false);
    expect(await db.directories.listFor([organization!.id])).toEqual([entra, okta]);

    const changedToken = newToken();
    const changedMap = '{ "Underwriting Leads": senior_underwriter, Adjusters: claims_adjuster }';
    const changed = desired(fileFor(slug, { map: changedMap }), changedToken);
    const plan = await planConfig(db, changed, deps);
    expect(plan.find((entry) => entry.id === `${slug}/entra-scim`)).toEqual({
      kind: 'directory',
      id: `${slug}/entra-scim`,
      action: 'update',
      changes: ['group_role_map', 'token'],
    });
    expect(JSON.stringify(plan)).not.toContain(changedToken);
    expect(JSON.stringify(plan)).not.toContain(digestBearerToken(changedToken));
    await applyConfig(db, changed, deps);
    const rotated = await db.directories.find(organization!.id, 'entra-scim');
    expect(rotated).toMatchObject({ id: entra!.id, groupRoleMap: { Adjusters: 'claims_adjuster' } });
    expect(rotated!.tokenRotatedAt.getTime()).toBeGreaterThan(entra!.tokenRotatedAt.getTime());
    expect(await db.directories.findByTokenHash(digestBearerToken(token))).toBeUndefined();
    expect((await db.directories.findByTokenHash(digestBearerToken(changedToken)))?.id).toBe(entra!.id);

    // A file without the token keeps the one the directory has.
    const tokenless = await planConfig(
      db,
      desired(fileFor(slug, { map: changedMap, token: false }), ''),
      deps,
    );
    expect(tokenless.find((entry) => entry.id === `${slug}/entra-scim`)?.action).toBe('unchanged');

    const removed = await applyConfig(
      db,
      desired(fileFor(slug, { map: changedMap, okta: false }), changedToken),
      deps,
    );
    expect(removed.entries.filter((entry) => entry.action !== 'unchanged')).toEqual([
      { kind: 'directory', id: `${slug}/okta-scim`, action: 'delete', changes: [] },
    ]);
    expect((await db.directories.listFor([organization!.id])).map((row) => row.key)).toEqual(['entra-scim']);

    const records = await db.audit.list({ organizationIds: [organization!.id] }, { limit: 100 });
    expect(
      records.map((record) => record.action).filter((action) => action.startsWith('directory.')),
    ).toEqual(['directory.create', 'directory.create', 'directory.update', 'directory.delete']);
    for (const record of records) expect(record.actor).toEqual({ type: 'config', id: SOURCE });
    const logged = JSON.stringify(records);
    for (const secret of [token, changedToken, entra!.tokenHash, okta!.tokenHash, 'tokenHash']) {
      expect(logged).not.toContain(secret);
    }
  });

  it('leaves directories made through the admin API alone, and takes one over once the file lists it', async () => {
    const slug = `mu-${randomUUID().slice(0, 8)}`;
    const token = newToken();
    await applyConfig(db, desired(fileFor(slug, { okta: false }), token), deps);
    const directories = createDirectoriesAdmin(db);
    const manual = await directories.create(admin, slug, { key: 'manual', type: 'scim', group_role_map: {} });

    const kept = await applyConfig(db, desired(fileFor(slug, { okta: false }), token), deps);
    expect(kept.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(kept.entries.some((entry) => entry.id === `${slug}/manual`)).toBe(false);

    const listed = fileFor(slug, {
      okta: false,
      extra: '      - { id: manual, group_role_map: { Adjusters: claims_adjuster } }\n',
    });
    const takeOver = await applyConfig(db, desired(listed, token), deps);
    expect(takeOver.entries.find((entry) => entry.id === `${slug}/manual`)).toEqual({
      kind: 'directory',
      id: `${slug}/manual`,
      action: 'update',
      changes: ['group_role_map', 'managed_by'],
    });
    // The token the admin API issued still opens it: the file gave none.
    const owned = await db.directories.findByTokenHash(digestBearerToken(manual.token));
    expect(owned).toMatchObject({ id: manual.directory.id, managedBy: 'config' });

    const dropped = await applyConfig(db, desired(fileFor(slug, { okta: false }), token), deps);
    expect(dropped.entries.find((entry) => entry.id === `${slug}/manual`)?.action).toBe('delete');
    expect(await db.directories.findById(manual.directory.id)).toBeUndefined();
  });

  it('refuses a token that already opens another directory, and writes nothing', async () => {
    const other = `other-${randomUUID().slice(0, 8)}`;
    await createOrganizationsAdmin(db).create(admin, { slug: other, name: 'Other' });
    const taken = await createDirectoriesAdmin(db).create(admin, other, {
      key: 'theirs',
      type: 'scim',
      group_role_map: {},
    });
    const slug = `mu-${randomUUID().slice(0, 8)}`;
    const apply = applyConfig(db, desired(fileFor(slug), taken.token), deps);
    await expect(apply).rejects.toThrow(ConflictError);
    await expect(apply).rejects.toThrow(
      `directory ${slug}/entra-scim: its token already opens directory ${other}/theirs; each directory needs its own token`,
    );
    expect(await db.organizations.findBySlug(slug)).toBeUndefined();
  });
});
