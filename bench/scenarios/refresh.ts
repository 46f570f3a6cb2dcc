import { postForClient } from '../http-client.js';
import { loginFlow } from '../login-flow.js';
import { benchUser, SECRET, WEB_CLIENT } from '../settings.js';
import { SEED_PARALLEL, times, type Scenario } from './scenario.js';

/**
 * (b) Refresh token rotation. Each worker owns one chain (its own grant, from its own login):
 * every request presents the refresh token the previous response returned. A failed request
 * may have consumed the token server-side, so the worker starts a new chain with a new login.
 */
export const refresh: Scenario = {
  name: 'refresh',
  operation: 'one POST /token (refresh_token, rotated; new access, refresh and ID token)',
  async prepare(target, workers) {
    const client = { id: WEB_CLIENT, secret: SECRET };
    const seed = async (worker: number) => {
      const tokens = await loginFlow(target.issuer, { user: benchUser(worker) });
      if (!tokens.refresh_token) throw new Error('the login returned no refresh token');
      return tokens.refresh_token;
    };
    const chains = await times(workers, SEED_PARALLEL, seed);
    return async (worker) => {
      try {
        const tokens = await postForClient(`${target.issuer}/token`, client, {
          grant_type: 'refresh_token',
          refresh_token: chains[worker]!,
        });
        if (typeof tokens.refresh_token !== 'string') throw new Error('no rotated refresh token');
        chains[worker] = tokens.refresh_token;
      } catch (error) {
        chains[worker] = await seed(worker);
        throw error;
      }
    };
  },
};
