import { isDeepStrictEqual } from 'node:util';
import { newId } from '../../lib/ids.js';
import {
  directoryView,
  issueDirectoryToken,
  suppliedDirectoryToken,
} from '../directories/directories-admin.js';
import { resyncRemappedRoles } from '../directories/directory-access.js';
import { ConflictError } from '../errors.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { DirectoryRecord } from '../ports/directories.js';
import type { Repositories } from '../ports/repositories.js';
import { CONFIG_OWNER, type DesiredDirectory, type PlannedChange } from './desired-state.js';
import type { OrganizationPlanContext, OrganizationSlot } from './organization-slots.js';

/**
 * The file's SCIM directories of an organization. Tokens are compared by digest, so an unchanged
 * file writes nothing and a directory without `token` keeps the one it has. Only config-owned
 * directories the file no longer lists are deleted: one made through the admin API or CLI stays
 * (and is taken over once the file lists it). Plans and audit records never show a token or digest.
 */
export async function planDirectories(
  repos: Repositories,
  slot: OrganizationSlot,
  context: OrganizationPlanContext,
): Promise<PlannedChange[]> {
  const { slug } = slot.desired;
  const stored = slot.stored ? await repos.directories.listFor([slot.stored.id]) : [];
  const changes: PlannedChange[] = [];
  for (const directory of slot.desired.directories) {
    const before = stored.find((row) => row.key === directory.key);
    if (directory.token !== undefined)
      await assertTokenFree(repos, slug, directory.key, directory.token, before);
    changes.push(
      before
        ? compareDirectory(before, directory, slug, context)
        : createDirectory(slot.id, directory, slug, context),
    );
  }
  const wanted = new Set(slot.desired.directories.map((directory) => directory.key));
  const left = stored.filter((row) => row.managedBy === CONFIG_OWNER && !wanted.has(row.key));
  changes.push(...left.map((before) => deleteDirectory(before, slug, context)));
  return changes;
}

const entryId = (slug: string, key: string) => `${slug}/${key}`;

/** Tells the operator how to get a token only Gatehouse's random generator has seen. */
export const rotateTokenNote = (slug: string, key: string) =>
  `its token is random and known to nobody: run \`gatehouse directories rotate-token --organization ${slug} --key ${key}\` ` +
  'to get one (or give the directory a token: ${ENV_VAR} in the file)';

/** Token digests are unique: a token that already opens another directory would open two. */
async function assertTokenFree(
  repos: Repositories,
  slug: string,
  key: string,
  token: string,
  before: DirectoryRecord | undefined,
): Promise<void> {
  const holder = await repos.directories.findByTokenHash(suppliedDirectoryToken(token).tokenHash);
  if (!holder || holder.id === before?.id) return;
  const owner = await repos.organizations.find(holder.organizationId);
  throw new ConflictError(
    `directory ${entryId(slug, key)}: its token already opens directory ` +
      `${entryId(owner?.slug ?? holder.organizationId, holder.key)}; each directory needs its own token`,
    'directory_token_taken',
  );
}

function createDirectory(
  organizationId: string,
  directory: DesiredDirectory,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const write = async (tx: Repositories) => {
    const { tokenHash, tokenHint } =
      directory.token === undefined ? issueDirectoryToken() : suppliedDirectoryToken(directory.token);
    const after = await tx.directories.create({
      id: newId('dir'),
      organizationId,
      key: directory.key,
      tokenHash,
      tokenHint,
      groupRoleMap: directory.groupRoleMap,
      managedBy: CONFIG_OWNER,
    });
    await audit(tx, context, 'create', null, after);
  };
  const notes = directory.token === undefined ? { notes: [rotateTokenNote(slug, directory.key)] } : {};
  return {
    kind: 'directory',
    id: entryId(slug, directory.key),
    action: 'create',
    changes: [],
    ...notes,
    write,
  };
}

function compareDirectory(
  before: DirectoryRecord,
  directory: DesiredDirectory,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  const id = entryId(slug, directory.key);
  const token = directory.token === undefined ? undefined : suppliedDirectoryToken(directory.token);
  const tokenChanges = token !== undefined && token.tokenHash !== before.tokenHash;
  const changes: string[] = [];
  if (!isDeepStrictEqual(before.groupRoleMap, directory.groupRoleMap)) changes.push('group_role_map');
  if (tokenChanges) changes.push('token');
  if (before.managedBy !== CONFIG_OWNER) changes.push('managed_by');
  if (changes.length === 0) return { kind: 'directory', id, action: 'unchanged', changes };
  const write = async (tx: Repositories) => {
    const after = await tx.directories.update(before.id, {
      groupRoleMap: directory.groupRoleMap,
      managedBy: CONFIG_OWNER,
      // The old token stops working with this write, as with `rotate-token`.
      ...(tokenChanges ? { ...token, tokenRotatedAt: context.now() } : {}),
    });
    await audit(tx, context, 'update', before, after);
    await resyncRemappedRoles(tx, context.actor, before, after);
  };
  return { kind: 'directory', id, action: 'update', changes, write };
}

/** The directory and what it pushed go; the users it provisioned and their memberships stay. */
function deleteDirectory(
  before: DirectoryRecord,
  slug: string,
  context: OrganizationPlanContext,
): PlannedChange {
  return {
    kind: 'directory',
    id: entryId(slug, before.key),
    action: 'delete',
    changes: [],
    write: async (tx) => {
      await tx.directories.delete(before.id);
      await audit(tx, context, 'delete', before, null);
    },
  };
}

/** Audit records show directory views: the token hint, never the token or its digest. */
function audit(
  tx: Repositories,
  context: OrganizationPlanContext,
  verb: 'create' | 'update' | 'delete',
  before: DirectoryRecord | null,
  after: DirectoryRecord | null,
): Promise<void> {
  const target = (after ?? before) as DirectoryRecord;
  return recordChange(tx, context.actor, {
    organizationId: target.organizationId,
    action: `directory.${verb}`,
    targetType: 'directory',
    targetId: target.id,
    before: before && directoryView(before),
    after: after && directoryView(after),
  });
}
