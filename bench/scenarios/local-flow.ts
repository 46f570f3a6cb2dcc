import { loginFlow } from '../login-flow.js';
import { unhashedUser } from '../settings.js';
import type { Scenario } from './scenario.js';

/**
 * Gatehouse's own local code flow without password hashing, the yardstick of enterprise SSO's
 * target: `full_flow` exactly (the same six requests, the same client), for users whose password
 * hash has the cheapest argon2id parameters (settings.ts unhashedUser), so that verifying it costs
 * next to nothing. Gatehouse only: the baselines check no password at all (their full_flow is
 * already without hashing).
 */
export const localFlow: Scenario = {
  name: 'local_flow',
  operation:
    'full_flow for a user whose password hash has the cheapest argon2id parameters: Gatehouse’s local code flow without password hashing (6 requests)',
  gatehouseOnly: true,
  async prepare(target) {
    if (target.name !== 'gatehouse') throw new Error('local_flow runs on Gatehouse only');
    return async (worker) => {
      await loginFlow(target.issuer, { user: unhashedUser(worker) });
    };
  },
};
