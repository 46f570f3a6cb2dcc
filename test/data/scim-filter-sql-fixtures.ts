import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/data/prisma/prisma-client.js';
import type { DirectoryGroupRecord, DirectoryUserRecord } from '../../src/domain/ports/directories.js';
import { scimGroup, scimUser } from '../../src/domain/directories/scim-representation.js';
import { parseGroupInput, parseUserInput } from '../../src/domain/scim/model/index.js';
import type { JsonObject, UserInput } from '../../src/domain/scim/model/index.js';
import { normalizeEmail } from '../../src/lib/email.js';

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BASE_URL = 'https://gatehouse.test/scim/v2';
/** created_at of user n is START + n hours and some milliseconds; updated_at n × 7 minutes later. */
export const START = Date.parse('2025-03-01T00:00:00.000Z');

const work = (value: string, more: Record<string, unknown> = {}) => ({ value, type: 'work', ...more });
const home = (value: string, more: Record<string, unknown> = {}) => ({ value, type: 'home', ...more });

/** Client bodies (what an IdP POSTs), varied on purpose: case, gaps, several emails, extensions. */
const USER_BODIES: readonly Record<string, unknown>[] = [
  {
    userName: 'bjensen@example.com',
    externalId: '701984',
    name: {
      givenName: 'Barbara',
      familyName: 'Jensen',
      middleName: 'Jane',
      formatted: 'Ms. Barbara J Jensen',
    },
    displayName: 'Babs Jensen',
    title: 'Tour Guide',
    userType: 'Employee',
    emails: [work('bjensen@example.com', { primary: true }), home('babs@jensen.org')],
    phoneNumbers: [
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ],
    addresses: [{ type: 'work', locality: 'Hollywood', region: 'CA', postalCode: '91608', primary: true }],
    [ENTERPRISE]: {
      employeeNumber: '701984',
      department: 'Tour Operations',
      manager: { value: 'mgr-001', displayName: 'John Smith' },
    },
  },
  {
    userName: 'BJensen2',
    name: { givenName: 'barbara', familyName: 'JENSEN' },
    displayName: 'babs jensen',
    title: 'tour guide',
    userType: 'Intern',
    emails: [home('BJensen2@Example.ORG', { primary: true })],
    active: false,
  },
  {
    userName: 'Alice.Smith@Example.com',
    externalId: 'EXT-alice',
    name: { givenName: 'Alice', familyName: 'Smith' },
    displayName: 'Alice Smith',
    title: 'Engineer',
    userType: 'Employee',
    emails: [work('alice.smith@example.com'), home('alice@smith.net', { primary: true })],
    [ENTERPRISE]: { department: 'Engineering', costCenter: '4130', manager: { value: 'MGR-001' } },
  },
  {
    userName: 'bob',
    externalId: 'ext-bob',
    name: { givenName: 'Bob', familyName: 'Brown' },
    emails: [work('bob@example.com'), { value: 'bob@example.net', type: 'other' }],
    [ENTERPRISE]: { department: 'engineering', division: 'R&D' },
  },
  { userName: 'carol_50%off', title: '50%_off deal', emails: [work('carol@example.com')] },
  { userName: 'dave\\back', title: '50xyoff deal', emails: [work('dave@example.com')] },
  { userName: 'eve', title: 'back\\slash', displayName: 'Eve', active: false },
  {
    userName: 'frank@example.org',
    externalId: 'FRANK',
    name: { familyName: 'Zimmer' },
    emails: [work('Frank@Example.org', { primary: true, display: 'Frank at work' })],
    phoneNumbers: [{ value: '+1 555 0100', type: 'mobile', primary: true }],
    [ENTERPRISE]: { employeeNumber: '42', manager: { value: 'mgr-001', displayName: 'john smith' } },
  },
  { userName: 'grace', name: { givenName: 'Grace' }, title: 'Engineer II', userType: 'Contractor' },
  {
    userName: 'heidi',
    emails: [{ type: 'work', display: 'no address yet' }],
    addresses: [
      { type: 'home', locality: 'Zürich', country: 'CH' },
      { type: 'work', locality: 'Bern', country: 'CH', primary: true },
    ],
  },
  { userName: 'ivan', displayName: 'Ivan the Great', emails: [home('ivan@example.com')], active: false },
  { userName: 'judy', title: 'Director', userType: 'employee', emails: [work('judy@EXAMPLE.com')] },
  { userName: 'Mallory', externalId: 'ext-mallory', title: 'Tour Guide Assistant' },
  { userName: 'niaj', name: { givenName: 'Niaj', familyName: 'Ng' }, [ENTERPRISE]: { department: 'Sales' } },
  { userName: 'olivia', locale: 'en-US', preferredLanguage: 'en-US', timezone: 'Europe/Paris' },
  { userName: 'peggy', nickName: 'Peg', emails: [work('peggy@example.com', { primary: true })] },
  { userName: 'ÜMLAUT.user', displayName: 'Ümlaut User', emails: [work('umlaut@example.com')] },
  { userName: 'rupert', title: 'ENGINEER', emails: [work('rupert@example.co.uk')] },
  {
    userName: 'sybil',
    externalId: '701985',
    [ENTERPRISE]: { employeeNumber: '701985', department: 'Tour Operations' },
  },
  { userName: 'trent', roles: [{ value: 'Admin', primary: true }, { value: 'auditor' }] },
  { userName: 'uma', emails: [work('uma@example.com'), work('uma.two@example.com')] },
  { userName: 'victor', profileUrl: 'https://example.com/victor', title: 'Tour Guide' },
  { userName: 'walter', name: { formatted: 'Walter White', familyName: 'white' }, active: false },
  { userName: 'xavier', userType: 'Employee', emails: [home('x@example.com', { primary: true })] },
  { userName: 'yvonne', displayName: 'YVONNE', phoneNumbers: [{ value: '555-555-4444', type: 'home' }] },
  { userName: 'zed', title: 'zzz', [ENTERPRISE]: { manager: { displayName: 'Nobody' } } },
  {
    userName: 'aaron',
    title: 'Aardvark keeper',
    emails: [work('aaron@example.com'), home('AARON@example.com')],
  },
  { userName: 'beth', externalId: 'Ext-Beth', emails: [work('beth@example.com', { primary: true })] },
  { userName: 'chuck', displayName: '', title: '   ', userType: 'Intern' },
  {
    userName: 'dan',
    emails: [work('dan_1@example.com')],
    addresses: [{ type: 'work', postalCode: '91608' }],
  },
];

/**
 * Stored as written, not through parseUserInput: empty strings, nulls, `{}`, a number where text
 * belongs. Normalisation keeps such values out, but a filter must still read them as the evaluator
 * does (RFC 7643 §2.5: null and empty are unassigned).
 */
const RAW_RESOURCES: readonly JsonObject[] = [
  {
    schemas: [USER, ENTERPRISE],
    userName: 'raw',
    title: 7,
    nickName: '',
    name: { givenName: '', familyName: null },
    emails: [{ value: '', type: 'work' }, {}],
    phoneNumbers: [],
    addresses: [{ locality: '' }],
    roles: [null, { value: 'raw-role' }],
    [ENTERPRISE]: { department: '', manager: {} },
  },
];

export interface GroupBody {
  readonly displayName: string;
  readonly externalId?: string;
  /** Indexes into the users. */
  readonly members: readonly number[];
}

const GROUP_BODIES: readonly GroupBody[] = [
  { displayName: 'Tour Guides', externalId: 'grp-tour', members: [0, 1, 12, 21] },
  { displayName: 'tour guides staff', members: [0] },
  { displayName: 'Admins', externalId: 'GRP-ADMINS', members: [2, 19] },
  { displayName: 'Empty Group', members: [] },
  { displayName: 'Engineering', externalId: 'grp-eng', members: [2, 3, 8, 17] },
  { displayName: '50%_off club', members: [4] },
];

export interface SeededDirectory {
  readonly tag: string;
  readonly directoryId: string;
  readonly userIds: readonly string[];
  readonly groupIds: readonly string[];
  /** The resources as a client reads them (id, meta, groups, members included): the oracle's input. */
  readonly users: readonly JsonObject[];
  readonly groups: readonly JsonObject[];
  remove(): Promise<void>;
}

/** One organization, one directory, its users and groups; ids are unique to this call. */
export async function seedDirectory(prisma: PrismaClient): Promise<SeededDirectory> {
  const tag = randomUUID().slice(0, 8);
  const organizationId = `org_${tag}`;
  const directoryId = `dir_${tag}`;
  await prisma.organization.create({
    data: { id: organizationId, slug: `scim-sql-${tag}`, name: 'SCIM SQL' },
  });
  await prisma.directory.create({
    data: { id: directoryId, organizationId, key: 'scim', tokenHash: `hash_${tag}`, tokenHint: 'tok' },
  });
  const inputs = [
    ...USER_BODIES.map((body) => parseUserInput({ schemas: [USER, ENTERPRISE], ...body }, 'create')),
    ...RAW_RESOURCES.map((resource) => rawInput(resource)),
  ];
  const userIds = inputs.map((_, index) => `${tag}-U${String(index).padStart(2, '0')}`);
  const personIds = inputs.map((_, index) => `usr_${tag}_${index}`);
  await prisma.user.createMany({
    data: personIds.map((id) => ({ id, email: `${id}@example.test`, emailVerified: true })),
  });
  await prisma.directoryUser.createMany({
    data: inputs.map((input, index) => {
      const emails = Array.isArray(input.resource.emails) ? input.resource.emails : [];
      const createdAt = new Date(START + index * 3_600_000 + index * 37);
      return {
        id: userIds[index]!,
        directoryId,
        userId: personIds[index]!,
        userName: input.userName,
        userNameKey: input.userNameNormalised,
        externalId: input.externalId,
        emails: emails.flatMap((email) =>
          typeof email === 'object' &&
          email !== null &&
          !Array.isArray(email) &&
          typeof email.value === 'string'
            ? [normalizeEmail(email.value)]
            : [],
        ),
        primaryEmail: input.primaryEmail,
        displayName: typeof input.resource.displayName === 'string' ? input.resource.displayName : null,
        active: input.active,
        resource: input.resource,
        version: 1 + (index % 3),
        createdAt,
        updatedAt: new Date(createdAt.getTime() + index * 420_000),
      };
    }),
  });
  const groupIds = GROUP_BODIES.map((_, index) => `${tag}-G${index}`);
  for (const [index, body] of GROUP_BODIES.entries()) {
    const input = parseGroupInput({
      schemas: [GROUP],
      displayName: body.displayName,
      ...(body.externalId && { externalId: body.externalId }),
      members: body.members.map((member) => ({ value: userIds[member] })),
    });
    const createdAt = new Date(START + index * 86_400_000);
    await prisma.directoryGroup.create({
      data: {
        id: groupIds[index]!,
        directoryId,
        displayName: input.displayName,
        displayNameKey: input.displayNameNormalised,
        externalId: input.externalId,
        resource: input.resource,
        createdAt,
        updatedAt: createdAt,
      },
    });
    await prisma.directoryGroupMember.createMany({
      data: input.memberIds.map((directoryUserId) => ({ groupId: groupIds[index]!, directoryUserId })),
    });
  }
  const { users, groups } = await readResources(prisma, directoryId);
  return {
    tag,
    directoryId,
    userIds,
    groupIds,
    users,
    groups,
    async remove() {
      await prisma.organization.delete({ where: { id: organizationId } });
      await prisma.user.deleteMany({ where: { id: { in: personIds } } });
    },
  };
}

function rawInput(resource: JsonObject): UserInput & { active: boolean } {
  const userName = String(resource.userName);
  return {
    resource,
    userName,
    userNameNormalised: userName.toLowerCase(),
    primaryEmail: null,
    externalId: null,
    active: true,
  };
}

/** The rows as stored, rendered the way the SCIM endpoints serve them. */
async function readResources(prisma: PrismaClient, directoryId: string) {
  const userRows = await prisma.directoryUser.findMany({ where: { directoryId }, orderBy: { id: 'asc' } });
  const groupRows = await prisma.directoryGroup.findMany({
    where: { directoryId },
    orderBy: { id: 'asc' },
    include: { members: { include: { user: true }, orderBy: { directoryUserId: 'asc' } } },
  });
  const userRecords = userRows.map((row) => ({ ...row, resource: row.resource as JsonObject }));
  const groupsOf = (userId: string) =>
    groupRows
      .filter((group) => group.members.some((member) => member.directoryUserId === userId))
      .map((group) => ({ id: group.id, displayName: group.displayName }));
  const users = userRecords.map((record) =>
    scimUser(record as DirectoryUserRecord, groupsOf(record.id), BASE_URL),
  );
  const groups = groupRows.map(({ members, ...row }) =>
    scimGroup(
      { ...row, resource: row.resource as JsonObject } as DirectoryGroupRecord,
      members.map((member) => ({ id: member.user.id, userName: member.user.userName })),
      BASE_URL,
    ),
  );
  return { users, groups };
}
