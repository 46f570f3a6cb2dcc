import { describe, expect, it } from '@jest/globals';
import {
  exchangedActor,
  MAX_ACTOR_DEPTH,
  readActorClaim,
  type ActorClaim,
} from '../../../src/domain/tokens/actor-claim.js';
import { TokenExchangeRefusal } from '../../../src/domain/tokens/token-exchange-policy.js';

/** A chain of `depth` actors, svc-1 outermost. */
const chain = (depth: number): ActorClaim | undefined =>
  depth === 0 ? undefined : { sub: `svc-${depth}`, act: chain(depth - 1) };

describe('the act claim of an exchanged token (RFC 8693 §4.1)', () => {
  it('makes the actor current and nests the subject token’s own act inside it', () => {
    expect(exchangedActor({ sub: 'orders', clientId: 'orders' }, undefined)).toEqual({
      sub: 'orders',
      client_id: 'orders',
    });
    expect(
      exchangedActor({ sub: 'billing', clientId: 'billing' }, { sub: 'orders', client_id: 'orders' }),
    ).toEqual({
      sub: 'billing',
      client_id: 'billing',
      act: { sub: 'orders', client_id: 'orders' },
    });
    expect(exchangedActor({ sub: 'usr_1' }, undefined)).toEqual({ sub: 'usr_1' });
  });

  it('keeps the subject’s act when no actor is presented, and no act when there is none', () => {
    const prior = { sub: 'orders' };
    expect(exchangedActor(undefined, prior)).toBe(prior);
    expect(exchangedActor(undefined, undefined)).toBeUndefined();
  });

  it('refuses a chain longer than the limit as an invalid request', () => {
    expect(() => exchangedActor({ sub: 'next' }, chain(MAX_ACTOR_DEPTH - 1))).not.toThrow();
    const refusal = (() => {
      try {
        exchangedActor({ sub: 'next' }, chain(MAX_ACTOR_DEPTH));
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(TokenExchangeRefusal);
    expect(refusal).toMatchObject({ reason: 'request' });
  });

  it('reads a signed act claim member by member, and refuses any other shape', () => {
    expect(readActorClaim(undefined)).toBeUndefined();
    expect(readActorClaim({ sub: 'a', client_id: 'c', act: { sub: 'b' }, extra: 1 })).toEqual({
      sub: 'a',
      client_id: 'c',
      act: { sub: 'b' },
    });
    for (const malformed of [
      'a',
      null,
      [],
      { client_id: 'c' },
      { sub: 1 },
      { sub: 'a', act: 'b' },
      chain(MAX_ACTOR_DEPTH + 1),
    ]) {
      expect(() => readActorClaim(malformed)).toThrow(TypeError);
    }
  });
});
