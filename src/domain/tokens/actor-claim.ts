import { TokenExchangeRefusal } from './token-exchange-policy.js';

/**
 * RFC 8693 §4.1 `act`: who is acting for the token's subject. `sub` names the actor, `client_id`
 * the client it acted through (§4.3 lets any claim identifying the actor appear), and a nested
 * `act` the actors before it, most recent outermost. Only the outermost actor is the current one;
 * the nested ones are history, never used for access decisions.
 */
export interface ActorClaim {
  sub: string;
  client_id?: string;
  act?: ActorClaim;
}

/** The acting party of an exchange: a user, or a client acting on its own account. */
export interface Actor {
  sub: string;
  clientId?: string | undefined;
}

/**
 * A delegation chain deeper than this is refused: every hop adds a nested object to every token
 * and introspection answer, and no legitimate chain of services gets close.
 */
export const MAX_ACTOR_DEPTH = 8;

/**
 * The `act` of an exchanged token. With an actor token the actor becomes the current actor and the
 * subject token's own `act` nests inside it (RFC 8693 §4.1). Without one the subject's `act` is
 * carried over unchanged: exchanging a delegated token (to narrow it) must not erase who acts.
 */
export function exchangedActor(
  actor: Actor | undefined,
  prior: ActorClaim | undefined,
): ActorClaim | undefined {
  if (!actor) return prior;
  const claim: ActorClaim = {
    sub: actor.sub,
    ...(actor.clientId ? { client_id: actor.clientId } : {}),
    ...(prior ? { act: prior } : {}),
  };
  if (depthOf(claim) > MAX_ACTOR_DEPTH) {
    throw new TokenExchangeRefusal('request', `delegation chains are limited to ${MAX_ACTOR_DEPTH} actors`);
  }
  return claim;
}

const depthOf = (claim: ActorClaim | undefined): number => (claim ? 1 + depthOf(claim.act) : 0);

/**
 * The `act` claim of a token this server signed, as a plain object. Anything else (a string, a
 * missing `sub`, a chain past the limit) makes the token unusable rather than silently dropping
 * the actors: a token that lost its `act` would pass for the subject acting alone.
 */
export function readActorClaim(value: unknown, depth = 1): ActorClaim | undefined {
  if (value === undefined) return undefined;
  if (depth > MAX_ACTOR_DEPTH || typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('malformed act claim');
  }
  const { sub, client_id: clientId, act } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || (clientId !== undefined && typeof clientId !== 'string')) {
    throw new TypeError('malformed act claim');
  }
  const nested = readActorClaim(act, depth + 1);
  return { sub, ...(clientId ? { client_id: clientId } : {}), ...(nested ? { act: nested } : {}) };
}
