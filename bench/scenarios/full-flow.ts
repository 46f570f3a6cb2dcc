import { loginFlow } from '../login-flow.js';
import { benchUser } from '../settings.js';
import type { Scenario } from './scenario.js';

/**
 * (d) The whole browser sign-in, code + PKCE, with a fresh cookie jar each time: six HTTP
 * requests per operation. Gatehouse verifies the password (argon2id); the baseline does not.
 */
export const fullFlow: Scenario = {
  name: 'full_flow',
  operation:
    'one complete sign-in: /auth, interaction page, identify, login, resume, code exchange (6 requests)',
  async prepare(target) {
    return async (worker) => {
      await loginFlow(target.issuer, { user: benchUser(worker) });
    };
  },
};

export const REQUESTS_PER_FLOW = 6;
