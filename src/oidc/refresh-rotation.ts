import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];

/**
 * A refresh token's rotation (oidc-provider consumes the old token, then saves its successor) in
 * one statement where the store offers it (adapter.ts): the consumption waits for the save that
 * follows it in the same request, and both go together, the successor only if the old token was
 * still unused (a replay racing this request is found there, as `consume` would have found it).
 */
const ROTATED = 'RefreshToken';

interface DeferredConsume {
  id: string;
  consumeNow: () => Promise<void>;
}

const deferred = new WeakMap<object, DeferredConsume>();

/**
 * Defers the consumption of model `name`'s token `id` in `request` to the save of its successor;
 * false (nothing deferred) for a model that is not rotated so. One at a time: an earlier one is
 * consumed first.
 */
export async function deferConsume(
  request: object,
  name: string,
  id: string,
  consumeNow: () => Promise<void>,
): Promise<boolean> {
  if (name !== ROTATED) return false;
  await settleDeferredConsume(request);
  deferred.set(request, { id, consumeNow });
  return true;
}

/** The consumption deferred in `request` that a save of model `name` completes, taken once. */
export function takeDeferredConsume(request: object, name: string): DeferredConsume | undefined {
  if (name !== ROTATED) return undefined;
  const taken = deferred.get(request);
  deferred.delete(request);
  return taken;
}

/** Consumes what the request deferred and never saved a successor for. */
export async function settleDeferredConsume(request: object): Promise<void> {
  await takeDeferredConsume(request, ROTATED)?.consumeNow();
}

/**
 * A token request that consumed a refresh token and failed before saving its successor still
 * consumes it before answering: the refused request spends the token, as it did before the two
 * went together.
 */
export function rotationSettlement(tokenPath: string): Middleware {
  const settled: Middleware = async (ctx, next) => {
    try {
      await next();
    } finally {
      await settleDeferredConsume(ctx);
    }
  };
  return (ctx, next) => (ctx.path === tokenPath ? settled(ctx, next) : next());
}
