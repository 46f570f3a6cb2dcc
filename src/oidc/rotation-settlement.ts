import { settleDeferredConsume } from './adapter.js';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];

/**
 * A token request that consumed a refresh token and failed before saving its successor still
 * consumes it before answering (adapter.ts defers the consumption to that save): the refused
 * request spends the token, as it did before the two went together.
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
