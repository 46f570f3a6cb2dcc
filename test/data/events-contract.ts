import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OpenedDatabase } from '../../src/data/database.js';
import type { WebhookEndpointRecord } from '../../src/domain/ports/webhooks.js';
import { sleep } from '../support/clock.js';
import { openDuringSuite } from '../support/suite-database.js';
import { createStoredOrganization } from '../support/stored-organization.js';

/**
 * The event stream and webhook delivery state, the same on PostgreSQL and PGlite. `open` must give
 * a database of the suite's own: claimDue leases every due endpoint it sees.
 */
export function describeEventsContract(label: string, open: () => Promise<OpenedDatabase>): void {
  describe(`events and webhooks on ${label}`, () => {
    let db: OpenedDatabase;
    openDuringSuite(open, (opened) => (db = opened));

    const newOrganization = async () =>
      (await createStoredOrganization(db, { slug: `events-${randomUUID()}`, name: 'Events' })).id;
    const append = (organizationId: string, type = 'user.updated', data: Record<string, unknown> = {}) =>
      db.events.append({ organizationId, type, data });
    const sequences = async (organizationId: string, after = 0) =>
      (await db.events.listAfter(organizationId, after, 1000)).map((event) => event.sequence);

    it('numbers each organization’s events 1, 2, 3... on its own, and reads them by cursor', async () => {
      const [a, b] = [await newOrganization(), await newOrganization()];
      expect(await db.events.lastSequence(a)).toBe(0);
      const first = await append(a, 'membership.created', { id: 'mem_1', at: { nested: [1, null] } });
      await append(b);
      await append(a);
      await append(a, 'role.deleted');
      expect(first).toMatchObject({ organizationId: a, sequence: 1, type: 'membership.created' });
      expect(Math.abs((first?.occurredAt.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
      expect(await sequences(a)).toEqual([1, 2, 3]);
      expect(await sequences(b)).toEqual([1]);
      expect(await sequences(a, 1)).toEqual([2, 3]);
      expect(await db.events.listAfter(a, 0, 2)).toHaveLength(2);
      expect(await db.events.lastSequence(a)).toBe(3);
      const [read] = await db.events.listAfter(a, 0, 1);
      expect(read).toEqual(first);
      expect(read?.data).toEqual({ id: 'mem_1', at: { nested: [1, null] } });
      expect((await db.events.listAfter(a, 2, 10))[0]?.type).toBe('role.deleted');
    });

    it('appends nothing for an organization that no longer exists', async () => {
      const gone = await newOrganization();
      await db.organizations.delete(gone);
      expect(await append(gone)).toBeUndefined();
      expect(await db.events.lastSequence(gone)).toBe(0);
    });

    it('leaves no gap where a transaction rolled back', async () => {
      const organization = await newOrganization();
      await append(organization);
      const rolledBack = db.transaction(async (repos) => {
        await repos.events.append({ organizationId: organization, type: 'user.updated', data: {} });
        throw new Error('the change failed');
      });
      await expect(rolledBack).rejects.toThrow('the change failed');
      expect((await append(organization))?.sequence).toBe(2);
      expect(await sequences(organization)).toEqual([1, 2]);
    });

    it('makes a second writer of the organization wait for the first to commit, so numbers follow commit order', async () => {
      const organization = await newOrganization();
      let commitFirst = () => {};
      const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
      let firstAppended = (_sequence: number) => {};
      const appended = new Promise<number>((resolve) => (firstAppended = resolve));
      const first = db.transaction(async (repos) => {
        const event = await repos.events.append({
          organizationId: organization,
          type: 'user.updated',
          data: {},
        });
        firstAppended(event?.sequence ?? -1);
        await firstMayCommit;
        return event?.sequence;
      });
      expect(await appended).toBe(1);
      let secondDone = false;
      const second = db
        .transaction(
          async (repos) =>
            (await repos.events.append({ organizationId: organization, type: 'user.updated', data: {} }))
              ?.sequence,
        )
        .finally(() => (secondDone = true));
      await sleep(300);
      expect(secondDone).toBe(false);
      commitFirst();
      expect(await first).toBe(1);
      expect(await second).toBe(2);
      expect(await sequences(organization)).toEqual([1, 2]);
    });

    it('gives concurrent transactions consecutive, gap-free numbers, each transaction’s own in a row', async () => {
      const organization = await newOrganization();
      const writers = Array.from({ length: 8 }, () =>
        db.transaction(async (repos) => {
          const append = () =>
            repos.events.append({ organizationId: organization, type: 'user.updated', data: {} });
          const first = await append();
          const second = await append();
          return [first?.sequence, second?.sequence];
        }),
      );
      const numbers = await Promise.all(writers);
      for (const [first, second] of numbers) expect(second).toBe((first ?? 0) + 1);
      expect(numbers.flat().sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
        Array.from({ length: 16 }, (_, index) => index + 1),
      );
      expect(await sequences(organization)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
    });

    it('appends queued events at the end of the transaction, each organization in a row, and drops them on rollback', async () => {
      const [a, b] = [await newOrganization(), await newOrganization()];
      await append(a);
      const queue = (repos: Pick<typeof db, 'events'>, organizationId: string, type: string) =>
        repos.events.queue({ organizationId, type, data: { type } });
      await db.transaction(async (repos) => {
        await queue(repos, a, 'user.created');
        await queue(repos, b, 'membership.created');
        await queue(repos, a, 'membership.created');
        // Nothing is written before the end of the transaction.
        expect(await repos.events.lastSequence(a)).toBe(1);
      });
      const events = await db.events.listAfter(a, 0, 10);
      expect(events.map((event) => [event.sequence, event.type])).toEqual([
        [1, 'user.updated'],
        [2, 'user.created'],
        [3, 'membership.created'],
      ]);
      expect(await sequences(b)).toEqual([1]);
      await expect(
        db.transaction(async (repos) => {
          await queue(repos, a, 'user.deleted');
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await sequences(a)).toEqual([1, 2, 3]);
    });

    it('numbers concurrent queued writers gap-free, each transaction’s own in a row', async () => {
      const organization = await newOrganization();
      const writers = Array.from({ length: 8 }, (_, writer) =>
        db.transaction(async (repos) => {
          for (let index = 0; index < 3; index += 1) {
            await repos.events.queue({
              organizationId: organization,
              type: 'user.updated',
              data: { writer },
            });
          }
        }),
      );
      await Promise.all(writers);
      const events = await db.events.listAfter(organization, 0, 100);
      expect(events.map((event) => event.sequence)).toEqual(
        Array.from({ length: 24 }, (_, index) => index + 1),
      );
      for (let start = 0; start < 24; start += 3) {
        const writers = new Set(events.slice(start, start + 3).map((event) => event.data.writer));
        expect(writers.size).toBe(1);
      }
    });

    describe('webhook endpoints', () => {
      const at = (iso: string) => new Date(iso);
      const newEndpoint = async (organizationId: string, overrides: Partial<WebhookEndpointRecord> = {}) =>
        db.webhookEndpoints.create({
          id: `whk_${randomUUID()}`,
          organizationId,
          url: 'https://receiver.example.test/hook',
          secretCiphertext: 'v1.sealed',
          eventTypes: [],
          enabled: true,
          deliveredThrough: await db.events.lastSequence(organizationId),
          ...overrides,
        });

      it('stores, lists, changes and deletes endpoints', async () => {
        const organization = await newOrganization();
        const endpoint = await newEndpoint(organization, { eventTypes: ['user.created'] });
        expect(endpoint).toMatchObject({ failures: 0, nextAttemptAt: null, deliveredThrough: 0 });
        expect(await db.webhookEndpoints.find(endpoint.id)).toEqual(endpoint);
        expect(await db.webhookEndpoints.listFor(organization, { limit: 10 })).toEqual([endpoint]);
        const changed = await db.webhookEndpoints.update(endpoint.id, {
          enabled: false,
          deliveredThrough: 7,
          nextAttemptAt: at('2030-01-01T00:00:00.123Z'),
        });
        expect(changed).toMatchObject({
          enabled: false,
          deliveredThrough: 7,
          nextAttemptAt: at('2030-01-01T00:00:00.123Z'),
          eventTypes: ['user.created'],
        });
        await db.webhookEndpoints.delete(endpoint.id);
        expect(await db.webhookEndpoints.find(endpoint.id)).toBeUndefined();
        await expect(db.webhookEndpoints.update(endpoint.id, { enabled: true })).rejects.toMatchObject({
          code: 'not_found',
        });
      });

      it('leases endpoints that are enabled, behind and due, one claimer at a time', async () => {
        const organization = await newOrganization();
        const behind = await newEndpoint(organization);
        await newEndpoint(organization, { enabled: false });
        await append(organization);
        await newEndpoint(organization); // caught up: starts at the last event
        const now = new Date();
        const lease = new Date(now.getTime() + 30_000);
        const claimed = await db.webhookEndpoints.claimDue(now, lease, 10);
        expect(claimed.map((endpoint) => endpoint.id)).toEqual([behind.id]);
        expect(claimed[0]?.nextAttemptAt).toEqual(lease);
        // Leased: nobody else gets it until the lease runs out.
        expect(await db.webhookEndpoints.claimDue(now, lease, 10)).toEqual([]);
        const later = new Date(lease.getTime() + 1);
        const retaken = await db.webhookEndpoints.claimDue(later, new Date(later.getTime() + 30_000), 10);
        expect(retaken.map((endpoint) => endpoint.id)).toEqual([behind.id]);
      });

      it('settles only while the cursor and lease are as the claimer left them', async () => {
        const organization = await newOrganization();
        const endpoint = await newEndpoint(organization);
        await append(organization);
        await append(organization);
        const now = new Date();
        const lease = new Date(now.getTime() + 30_000);
        await db.webhookEndpoints.claimDue(now, lease, 10);
        const next = { deliveredThrough: 1, failures: 0, nextAttemptAt: new Date(now.getTime() + 60_000) };
        expect(await db.webhookEndpoints.settle(endpoint.id, { deliveredThrough: 0, lease }, next)).toBe(
          true,
        );
        // The old lease is spent: a late answer under it writes nothing.
        const stale = { deliveredThrough: 2, failures: 0, nextAttemptAt: null };
        expect(await db.webhookEndpoints.settle(endpoint.id, { deliveredThrough: 0, lease }, stale)).toBe(
          false,
        );
        const release = { deliveredThrough: 2, failures: 0, nextAttemptAt: null };
        expect(
          await db.webhookEndpoints.settle(
            endpoint.id,
            { deliveredThrough: 1, lease: next.nextAttemptAt },
            release,
          ),
        ).toBe(true);
        expect(await db.webhookEndpoints.find(endpoint.id)).toMatchObject(release);
        // Caught up: nothing to claim.
        expect(await db.webhookEndpoints.claimDue(new Date(), new Date(Date.now() + 1000), 10)).toEqual([]);
      });

      it('settles nothing once the endpoint was disabled under the claimer', async () => {
        const organization = await newOrganization();
        const endpoint = await newEndpoint(organization);
        await append(organization);
        const now = new Date();
        const lease = new Date(now.getTime() + 30_000);
        await db.webhookEndpoints.claimDue(now, lease, 10);
        await db.webhookEndpoints.update(endpoint.id, { enabled: false });
        const next = { deliveredThrough: 1, failures: 0, nextAttemptAt: null };
        expect(await db.webhookEndpoints.settle(endpoint.id, { deliveredThrough: 0, lease }, next)).toBe(
          false,
        );
        expect(await db.webhookEndpoints.find(endpoint.id)).toMatchObject({ deliveredThrough: 0 });
      });

      it('claims an endpoint once when two claimers race for it', async () => {
        const organization = await newOrganization();
        const endpoint = await newEndpoint(organization);
        await append(organization);
        const now = new Date();
        const claims = await Promise.all(
          [1, 2, 3].map((n) => db.webhookEndpoints.claimDue(now, new Date(now.getTime() + n * 1000), 10)),
        );
        expect(claims.flat().map((claimed) => claimed.id)).toEqual([endpoint.id]);
      });

      it('keeps the delivery log, newest first, page by page', async () => {
        const organization = await newOrganization();
        const endpoint = await newEndpoint(organization);
        for (const attempt of [1, 2, 3]) {
          await db.webhookDeliveries.append({
            endpointId: endpoint.id,
            sequence: 4,
            attempt,
            status: attempt === 3 ? 204 : null,
            error: attempt === 3 ? null : 'connect ECONNREFUSED',
            durationMs: 12,
            at: new Date(),
          });
        }
        const first = await db.webhookDeliveries.listFor(endpoint.id, { limit: 2 });
        expect(first.map((delivery) => delivery.attempt)).toEqual([3, 2]);
        expect(first[0]).toMatchObject({ endpointId: endpoint.id, sequence: 4, status: 204, error: null });
        const rest = await db.webhookDeliveries.listFor(endpoint.id, { limit: 2, after: first[1]?.id });
        expect(rest.map((delivery) => delivery.attempt)).toEqual([1]);
      });
    });
  });
}
