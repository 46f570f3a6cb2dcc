import { randomUUID } from 'node:crypto';
import { emailDomain } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import { snapshotData, userData } from '../events/event-data.js';
import { organizationForEmail } from '../organizations/organization-access.js';
import type { DirectoryRecord, DirectoryUserRecord } from '../ports/directories.js';
import type { Database, NewUser, Repositories, UserRecord } from '../ports/repositories.js';
import type { AuditEntry, OrganizationRecord } from '../ports/tenancy.js';
import { parseUserInput, ScimError, scimErrors, type UserInput } from '../scim/model/index.js';
import { emailOf, profileOf, userAuditView } from './directory-person.js';
import { directoryActor, fieldsOf, type DirectoryUserView } from './directory-users.js';

/** One create of a batch: the user it made, an error of its own, or left to the one-by-one path. */
export type BatchOutcome =
  { kind: 'created'; view: DirectoryUserView } | { kind: 'failed'; error: ScimError } | { kind: 'single' };

interface Candidate {
  index: number;
  input: UserInput;
  email: string;
}

/** Within one batch, a later create repeating an earlier one's userName, externalId or email clashes. */
function firstOfEach(candidates: readonly Candidate[], outcomes: BatchOutcome[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const keys = [
      `name:${candidate.input.userNameNormalised}`,
      `email:${candidate.email}`,
      ...(candidate.input.externalId ? [`external:${candidate.input.externalId}`] : []),
    ];
    if (keys.some((key) => seen.has(key))) {
      outcomes[candidate.index] = {
        kind: 'failed',
        error: scimErrors.uniqueness(
          'Another user of this request has the same userName, externalId or email.',
        ),
      };
      return false;
    }
    for (const key of keys) seen.add(key);
    return true;
  });
}

/**
 * The creates of a /Bulk request (RFC 7644 §3.7) for people Gatehouse does not know yet, written
 * with a handful of set-based statements instead of some twenty per user: what a first import of
 * a large directory is. The rows, audit records and events are those the one-by-one path writes
 * (directory-users.ts); anything this path does not handle (a person who already has an account,
 * or a batch that meets a concurrent write) is left to that path.
 */
export async function importNewUsers(
  db: Database,
  directory: DirectoryRecord,
  bodies: readonly unknown[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = bodies.map(() => ({ kind: 'single' }));
  const parsed: Candidate[] = [];
  bodies.forEach((body, index) => {
    try {
      const input = parseUserInput(body, 'create');
      const email = emailOf(input);
      if (email) parsed.push({ index, input, email });
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      outcomes[index] = { kind: 'failed', error };
    }
  });
  try {
    await db.transaction(async (repos) => {
      const organization = await repos.organizations.find(directory.organizationId);
      if (!organization) throw new Error(`directory ${directory.id} names missing organization`);
      const vouched = await vouchedFor(repos, organization, parsed);
      const known = new Set(
        (await repos.users.findManyByEmail(vouched.map((c) => c.email))).map((u) => u.email),
      );
      const fresh = firstOfEach(
        vouched.filter((candidate) => !known.has(candidate.email)),
        outcomes,
      );
      const writable = await withoutClashes(repos, directory, fresh, outcomes);
      const created = await writeAll(repos, directory, organization, writable);
      created.forEach((record, position) => {
        outcomes[writable[position]!.index] = { kind: 'created', view: { record, groups: [] } };
      });
    });
  } catch (error) {
    if (error instanceof ScimError) throw error;
    // A concurrent write took a userName or an email meanwhile: each create then goes its own way.
    return bodies.map(() => ({ kind: 'single' }));
  }
  return outcomes;
}

/** The candidates under domains the directory's organization holds the best verified claim on. */
async function vouchedFor(
  repos: Repositories,
  organization: OrganizationRecord,
  candidates: readonly Candidate[],
): Promise<Candidate[]> {
  const owners = new Map<string, string | undefined>();
  for (const domain of new Set(candidates.map((candidate) => emailDomain(candidate.email)))) {
    owners.set(domain, (await organizationForEmail(repos, `x@${domain}`))?.id);
  }
  // The others get the one-by-one path's own refusal, with its message.
  return candidates.filter((candidate) => owners.get(emailDomain(candidate.email)) === organization.id);
}

/** RFC 7644 §3.3: a userName or externalId the directory already holds is 409 uniqueness. */
async function withoutClashes(
  repos: Repositories,
  directory: DirectoryRecord,
  candidates: readonly Candidate[],
  outcomes: BatchOutcome[],
): Promise<Candidate[]> {
  const clashes = await repos.directoryUsers.findClashes(directory.id, {
    userNameKeys: candidates.map((candidate) => candidate.input.userNameNormalised),
    externalIds: candidates.flatMap((candidate) => candidate.input.externalId ?? []),
    userIds: [],
  });
  const names = new Set(clashes.map((clash) => clash.userNameKey));
  const externals = new Set(clashes.flatMap((clash) => clash.externalId ?? []));
  return candidates.filter((candidate) => {
    const clash =
      names.has(candidate.input.userNameNormalised) ||
      (candidate.input.externalId !== null && externals.has(candidate.input.externalId));
    if (clash) {
      outcomes[candidate.index] = {
        kind: 'failed',
        error: scimErrors.uniqueness('A user with this userName or externalId exists in the directory.'),
      };
    }
    return !clash;
  });
}

/** Users, directory users, memberships, their audit records and events: one statement each. */
async function writeAll(
  repos: Repositories,
  directory: DirectoryRecord,
  organization: OrganizationRecord,
  candidates: readonly Candidate[],
): Promise<DirectoryUserRecord[]> {
  if (candidates.length === 0) return [];
  const created = await repos.users.createMany(
    candidates.map((candidate): NewUser => {
      const { name, profile } = profileOf(candidate.input.resource);
      return {
        id: newId('usr'),
        email: candidate.email,
        emailVerified: true,
        name,
        profile,
        passwordHash: null,
        managedBy: null,
      };
    }),
  );
  // In the candidates' order (the statement's rows need not come back in it).
  const byEmail = new Map(created.map((user) => [user.email, user]));
  const users: UserRecord[] = candidates.map((candidate) => byEmail.get(candidate.email)!);
  const records = await repos.directoryUsers.createMany(
    candidates.map((candidate, position) => ({
      id: randomUUID(),
      directoryId: directory.id,
      userId: users[position]!.id,
      ...fieldsOf(candidate.input, candidate.input.active ?? true),
    })),
  );
  const byUser = new Map(records.map((record) => [record.userId, record]));
  const ordered = users.map((user) => byUser.get(user.id)!);
  const active = ordered.filter((record) => record.active);
  const memberships = await repos.memberships.createMany(
    active.map((record) => ({
      id: newId('mem'),
      userId: record.userId,
      organizationId: organization.id,
      status: 'active' as const,
      roles: organization.defaultRole ? [organization.defaultRole] : [],
    })),
  );
  const actor = directoryActor(directory);
  const entry = (action: string, targetType: string, targetId: string, after: unknown): AuditEntry => ({
    organizationId: organization.id,
    actor,
    action,
    targetType,
    targetId,
    before: null,
    after,
  });
  await repos.audit.appendMany([
    ...users.map((user) => entry('user.create', 'user', user.id, userAuditView(user))),
    ...ordered.map((record) => entry('directory_user.create', 'directory_user', record.id, record)),
    ...memberships.map((membership) => entry('membership.create', 'membership', membership.id, membership)),
  ]);
  for (const user of users) {
    await repos.events.queue({ organizationId: organization.id, type: 'user.created', data: userData(user) });
  }
  for (const membership of memberships) {
    await repos.events.queue({
      organizationId: organization.id,
      type: 'membership.created',
      data: snapshotData(membership),
    });
  }
  return ordered;
}
