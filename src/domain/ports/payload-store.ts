/**
 * Storage for oidc-provider's models (sessions, codes, grants, tokens...). The oidc/ adapter maps
 * oidc-provider's Adapter contract onto this port; data/ implements it on PostgreSQL (durable
 * models), Redis and an in-process map (short-lived models).
 */
export type Payload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  /** epoch seconds at which the payload was consumed (codes, refresh tokens) */
  consumed?: number;
};

export interface PayloadStore {
  /** expiresIn in seconds; undefined means no expiry. */
  upsert(model: string, id: string, payload: Payload, expiresIn?: number): Promise<void>;
  /** undefined when missing or expired. */
  find(model: string, id: string): Promise<Payload | undefined>;
  /**
   * A token and the Grant it belongs to, in one read, where the store keeps both (the durable
   * one): each undefined when missing or expired.
   */
  findWithGrant?(model: string, id: string): Promise<{ payload?: Payload; grant?: Payload }>;
  /**
   * A Grant read ahead of the token endpoint for a code kept in another store, as find would
   * answer it, where the store can bring what the endpoint reads next about the grant along.
   */
  findGrantAhead?(grantId: string): Promise<Payload | undefined>;
  findByUid(model: string, uid: string): Promise<Payload | undefined>;
  findByUserCode(model: string, userCode: string): Promise<Payload | undefined>;
  /**
   * Marks the payload consumed (sets `consumed` to now, epoch seconds), atomically: true when this
   * call did, false when the payload is gone or was consumed already (by a request racing this one).
   */
  consume(model: string, id: string): Promise<boolean>;
  /**
   * A rotation in one step, where the store can: consumes `consumedId` as `consume` does and, only
   * if that call did, upserts `id`. True when both happened; false (and nothing written) when
   * `consumedId` is gone or was consumed already.
   */
  upsertConsuming?(
    model: string,
    consumedId: string,
    id: string,
    payload: Payload,
    expiresIn?: number,
  ): Promise<boolean>;
  destroy(model: string, id: string): Promise<void>;
  /** Deletes every payload of this model that carries the grant id. */
  revokeByGrantId(model: string, grantId: string): Promise<void>;
}
