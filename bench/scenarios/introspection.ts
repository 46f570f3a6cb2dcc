import { postForClient } from '../http-client.js';
import { loginFlow } from '../login-flow.js';
import { benchUser, SECRET, WEB_CLIENT } from '../settings.js';
import { times, type Scenario } from './scenario.js';

const TOKENS = 8;

/** (c) POST /token/introspection of opaque access tokens (from real logins), by a confidential client. */
export const introspection: Scenario = {
  name: 'introspection',
  operation: 'one POST /token/introspection of an opaque access token (expects active: true)',
  async prepare(target) {
    const client = { id: WEB_CLIENT, secret: SECRET };
    const tokens = (
      await times(TOKENS, TOKENS, (index) => loginFlow(target.issuer, { user: benchUser(index) }))
    ).map((set) => set.access_token);
    return async (worker) => {
      const answer = await postForClient(`${target.issuer}/token/introspection`, client, {
        token: tokens[worker % tokens.length]!,
        token_type_hint: 'access_token',
      });
      if (answer.active !== true) throw new Error('introspection answered active: false');
    };
  },
};
