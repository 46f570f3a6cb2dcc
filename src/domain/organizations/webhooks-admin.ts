import type { Envelope } from '../../lib/crypto/envelope.js';
import { newId } from '../../lib/ids.js';
import { NotFoundError, RuleViolationError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord, PageRequest } from '../ports/tenancy.js';
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../ports/webhooks.js';
import { newWebhookSecret, webhookSecretContext } from '../webhooks/webhook-secret.js';
import type { AdminPrincipal } from './admin-principal.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';
import {
  assertWebhookUrl,
  type WebhookCreate,
  type WebhookReplay,
  type WebhookUpdate,
} from './webhook-input.js';

/** An endpoint as admins see it: never the signing secret, which is shown once at creation. */
export type WebhookView = Omit<WebhookEndpointRecord, 'secretCiphertext'>;
const view = ({ secretCiphertext: _hidden, ...rest }: WebhookEndpointRecord): WebhookView => rest;

export interface WebhooksAdminDeps {
  envelope: Envelope;
  /** Outside production, plain http to any host (see assertWebhookUrl). */
  allowPlainHttp: boolean;
}

/** An organization's webhook endpoints; every write is scoped to the principal and recorded. */
export function createWebhooksAdmin(db: Database, deps: WebhooksAdminDeps) {
  const endpointOf = async (repos: Repositories, organization: OrganizationRecord, id: string) => {
    const endpoint = await repos.webhookEndpoints.find(id);
    // Another organization's endpoint is as absent as one that never existed.
    if (!endpoint || endpoint.organizationId !== organization.id) throw new NotFoundError(`webhook ${id}`);
    return endpoint;
  };
  const record = (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    before: WebhookEndpointRecord | null,
    after: WebhookEndpointRecord | null,
  ) => {
    const target = (after ?? before) as WebhookEndpointRecord;
    return recordChange(repos, principal.actor, {
      organizationId: target.organizationId,
      action,
      targetType: 'webhook',
      targetId: target.id,
      before: before && view(before),
      after: after && view(after),
    });
  };

  return {
    async list(principal: AdminPrincipal, orgRef: string, page: PageRequest): Promise<WebhookView[]> {
      const organization = await visibleOrganization(db, principal, orgRef);
      return (await db.webhookEndpoints.listFor(organization.id, page)).map(view);
    },

    async get(principal: AdminPrincipal, orgRef: string, id: string): Promise<WebhookView> {
      return view(await endpointOf(db, await visibleOrganization(db, principal, orgRef), id));
    },

    /**
     * Returns the signing secret this once. The endpoint starts at the organization's last event:
     * it receives what happens from now on, and history only when asked (replay).
     */
    create(
      principal: AdminPrincipal,
      orgRef: string,
      input: WebhookCreate,
    ): Promise<{ webhook: WebhookView; secret: string }> {
      const url = assertWebhookUrl(input.url, deps.allowPlainHttp);
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const id = newId('whk');
        const secret = newWebhookSecret();
        const endpoint = await repos.webhookEndpoints.create({
          id,
          organizationId: organization.id,
          url,
          secretCiphertext: deps.envelope.seal(secret, webhookSecretContext(id)),
          eventTypes: input.event_types,
          enabled: true,
          deliveredThrough: await repos.events.lastSequence(organization.id),
        });
        await record(repos, principal, 'webhook.create', null, endpoint);
        return { webhook: view(endpoint), secret };
      });
    },

    /** A new URL or re-enabling retries at once rather than after the backoff the old state earned. */
    update(
      principal: AdminPrincipal,
      orgRef: string,
      id: string,
      changes: WebhookUpdate,
    ): Promise<WebhookView> {
      const url = changes.url === undefined ? undefined : assertWebhookUrl(changes.url, deps.allowPlainHttp);
      return db.transaction(async (repos) => {
        const before = await endpointOf(repos, await visibleOrganization(repos, principal, orgRef), id);
        const retryNow =
          (url !== undefined && url !== before.url) || (changes.enabled === true && !before.enabled);
        const after = await repos.webhookEndpoints.update(before.id, {
          ...(url === undefined ? {} : { url }),
          ...(changes.event_types === undefined ? {} : { eventTypes: changes.event_types }),
          ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
          ...(retryNow ? { failures: 0, nextAttemptAt: null } : {}),
        });
        await record(repos, principal, 'webhook.update', before, after);
        return view(after);
      });
    },

    remove(principal: AdminPrincipal, orgRef: string, id: string): Promise<void> {
      return db.transaction(async (repos) => {
        const before = await endpointOf(repos, await visibleOrganization(repos, principal, orgRef), id);
        await repos.webhookEndpoints.delete(before.id);
        await record(repos, principal, 'webhook.delete', before, null);
      });
    },

    /** The delivery log, newest first. */
    async deliveries(
      principal: AdminPrincipal,
      orgRef: string,
      id: string,
      page: PageRequest,
    ): Promise<WebhookDeliveryRecord[]> {
      const endpoint = await endpointOf(db, await visibleOrganization(db, principal, orgRef), id);
      return db.webhookDeliveries.listFor(endpoint.id, page);
    },

    /**
     * Moves the cursor: every event after `after` goes (again) in order, and the backoff is
     * cleared. A cursor ahead of the current one skips events, which is how an operator gets past
     * one a receiver can never accept; one beyond the last event would skip events not yet made.
     */
    replay(
      principal: AdminPrincipal,
      orgRef: string,
      id: string,
      input: WebhookReplay,
    ): Promise<WebhookView> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await endpointOf(repos, organization, id);
        const last = await repos.events.lastSequence(organization.id);
        if (input.after > last) {
          throw new RuleViolationError(
            `after: the organization's last event is ${last}; replay from ${last} or lower`,
            'invalid_replay_cursor',
            'after',
          );
        }
        const after = await repos.webhookEndpoints.update(before.id, {
          deliveredThrough: input.after,
          failures: 0,
          nextAttemptAt: null,
        });
        await record(repos, principal, 'webhook.replay', before, after);
        return view(after);
      });
    },
  };
}
export type WebhooksAdmin = ReturnType<typeof createWebhooksAdmin>;
