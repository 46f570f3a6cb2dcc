import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DirectoryRecord } from '../../src/domain/ports/directories.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { USER_SCHEMA, scimDirectory, type ScimClient } from '../support/scim-client.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/**
 * /Bulk runs of creates of new people are written together; each operation still gets the
 * answer, rows, audit records and events a create of its own would.
 */
describe('SCIM /Bulk import of new users', () => {
  let gh: TestGatehouse;
  let scim: ScimClient;
  let domain: string;
  let organizationId: string;
  let directory: DirectoryRecord;

  beforeAll(async () => {
    gh = await startGatehouse();
    const setup = await scimDirectory(gh, { name: 'Importer' });
    ({ scim, domain } = setup);
    organizationId = setup.organization.id;
    directory = (await gh.container.db.directories.findById(setup.directory.id))!;
  });
  afterAll(() => gh?.stop());

  const user = (local: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA],
    userName: `${local}@${domain}`,
    externalId: `ext-${local}`,
    name: { givenName: local, familyName: 'Imported' },
    emails: [{ value: `${local}@${domain}`, type: 'work', primary: true }],
    ...extra,
  });
  const post = (bulkId: string, data: unknown) => ({ method: 'POST', path: '/Users', bulkId, data });

  it('answers each create as it would alone, and writes what a single create writes', async () => {
    const tag = randomUUID().slice(0, 6);
    const existing = `existing.${tag}`;
    await gh.addUser(`${existing}@${domain}`, 'correct horse battery');
    await scim.call('POST', '/Users', user(`taken.${tag}`));
    const answer = await scim.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        post('a', user(`a.${tag}`)),
        post('b', user(`b.${tag}`)),
        post('twice', user(`a.${tag}`, { externalId: `other-${tag}` })),
        post('taken', user(`taken.${tag}`, { externalId: `new-${tag}` })),
        post('foreign', { schemas: [USER_SCHEMA], userName: `x.${tag}@elsewhere.test` }),
        post('broken', { schemas: [USER_SCHEMA] }),
        post('known', user(existing)),
        post('inactive', user(`c.${tag}`, { active: false })),
      ],
    });
    expect(answer.status).toBe(200);
    const statuses = Object.fromEntries(
      answer.body.Operations.map((operation: { bulkId: string; status: string }) => [
        operation.bulkId,
        operation.status,
      ]),
    );
    expect(statuses).toEqual({
      a: '201',
      b: '201',
      twice: '409',
      taken: '409',
      foreign: '400',
      broken: '400',
      known: '201',
      inactive: '201',
    });
    const a = answer.body.Operations[0];
    expect(a.location).toMatch(new RegExp(`^${scim.baseUrl}/Users/[0-9a-f-]{36}$`));
    const read = await scim.call('GET', a.location.slice(scim.baseUrl.length));
    expect(read.body).toMatchObject({
      userName: `a.${tag}@${domain}`,
      active: true,
      meta: { version: a.version },
    });

    const person = await gh.container.db.users.findByEmail(`a.${tag}@${domain}`);
    expect(person).toMatchObject({
      emailVerified: true,
      name: `a.${tag} Imported`,
      profile: { given_name: `a.${tag}`, family_name: 'Imported' },
    });
    expect(await gh.container.db.memberships.find(person!.id, organizationId)).toMatchObject({
      status: 'active',
    });
    const inactive = await gh.container.db.users.findByEmail(`c.${tag}@${domain}`);
    expect(await gh.container.db.memberships.find(inactive!.id, organizationId)).toBeUndefined();
    const known = await gh.container.db.users.findByEmail(`${existing}@${domain}`);
    expect(await gh.container.db.memberships.find(known!.id, organizationId)).toMatchObject({
      status: 'active',
    });

    const audit = await gh.container.db.audit.list(
      { organizationIds: [organizationId], targetId: person!.id },
      { limit: 5 },
    );
    expect(audit.map((entry) => [entry.action, entry.actor.type])).toEqual([['user.create', 'directory']]);
    const events = await gh.container.db.events.listAfter(organizationId, 0, 1000);
    const aboutA = events.filter(
      (event) => event.data.id === person!.id || event.data.user_id === person!.id,
    );
    expect(aboutA.map((event) => event.type)).toEqual(['user.created', 'membership.created']);
  });

  it('writes the new people together and leaves the others to the one-by-one path', async () => {
    const tag = randomUUID().slice(0, 6);
    await gh.addUser(`known.${tag}@${domain}`, 'correct horse battery');
    const outcomes = await gh.container.directoryUsers.importMany(directory, [
      user(`one.${tag}`),
      user(`two.${tag}`),
      user(`one.${tag}`, { externalId: `again-${tag}` }),
      user(`known.${tag}`),
      { schemas: [USER_SCHEMA], userName: `far.${tag}@elsewhere.test` },
    ]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      'created',
      'created',
      'failed',
      'single',
      'single',
    ]);
  });
});
