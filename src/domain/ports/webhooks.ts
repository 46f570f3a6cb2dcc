import type { PageRequest } from './tenancy.js';

/**
 * Where an organization's events are pushed, and the log of every attempt. The endpoint row is
 * also the delivery state: `deliveredThrough` is the cursor, `failures` and `nextAttemptAt` the
 * backoff, and `nextAttemptAt` in the future doubles as the lease of the process delivering it.
 */
export interface WebhookEndpointRecord {
  id: string;
  organizationId: string;
  url: string;
  /** AES-256-GCM envelope of the signing secret (lib/crypto/envelope). */
  secretCiphertext: string;
  /** Event types to send; empty: every type. */
  eventTypes: string[];
  enabled: boolean;
  /** Every event up to this sequence was acknowledged (2xx) or is not one the endpoint wants. */
  deliveredThrough: number;
  /** Failed attempts in a row at the event after the cursor. */
  failures: number;
  /** Not before: the backoff after a failure, or the lease of a delivery in progress. */
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
export type NewWebhookEndpoint = Omit<
  WebhookEndpointRecord,
  'failures' | 'nextAttemptAt' | 'createdAt' | 'updatedAt'
>;
export type WebhookEndpointChanges = Partial<
  Pick<
    WebhookEndpointRecord,
    'url' | 'eventTypes' | 'enabled' | 'deliveredThrough' | 'failures' | 'nextAttemptAt'
  >
>;

/** Where the delivery stands after an attempt: the values `settle` writes. */
export interface DeliveryState {
  deliveredThrough: number;
  failures: number;
  nextAttemptAt: Date | null;
}

export interface WebhookEndpointRepository {
  /** Keyset page ordered by id. */
  listFor(organizationId: string, page: PageRequest): Promise<WebhookEndpointRecord[]>;
  find(id: string): Promise<WebhookEndpointRecord | undefined>;
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointRecord>;
  /** Throws NotFoundError when the endpoint is gone. */
  update(id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpointRecord>;
  delete(id: string): Promise<void>;
  /**
   * Leases up to `limit` enabled endpoints that are behind their organization's last event and
   * due (`nextAttemptAt` empty or not after `now`) by setting `nextAttemptAt` to `leaseUntil`.
   * Concurrent callers (other processes) never get the same endpoint while its lease runs.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<WebhookEndpointRecord[]>;
  /**
   * Writes `next` only while the endpoint is still as the lease holder left it (enabled, cursor
   * and lease unchanged): a replay, a change by an administrator or a lease taken over after it
   * ran out wins over a late answer, and disabling stops a delivery run. Returns whether it wrote.
   */
  settle(
    id: string,
    expected: { deliveredThrough: number; lease: Date },
    next: DeliveryState,
  ): Promise<boolean>;
}

export interface WebhookDeliveryRecord {
  id: string;
  endpointId: string;
  sequence: number;
  /** 1 for the first attempt at this event, 2 for the first retry, ... */
  attempt: number;
  /** The HTTP status, or null when no answer came (refused, timed out, aborted). */
  status: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}
export type NewWebhookDelivery = Omit<WebhookDeliveryRecord, 'id'>;

export interface WebhookDeliveryRepository {
  append(delivery: NewWebhookDelivery): Promise<void>;
  /** Newest first: `page.after` is the id of the last row of the previous page (older rows follow). */
  listFor(endpointId: string, page: PageRequest): Promise<WebhookDeliveryRecord[]>;
}
