import { postForClient } from '../http-client.js';
import { API, API_SCOPE, SECRET, SERVICE_CLIENT } from '../settings.js';
import type { Scenario } from './scenario.js';

/** (a) POST /token grant_type=client_credentials, client_secret_basic, resource -> JWT access token. */
export const clientCredentials: Scenario = {
  name: 'client_credentials',
  operation: 'one POST /token (client_credentials, resource indicator, JWT access token)',
  async prepare(target) {
    const client = { id: SERVICE_CLIENT, secret: SECRET };
    const form = { grant_type: 'client_credentials', resource: API, scope: API_SCOPE };
    return async () => {
      const tokens = await postForClient(`${target.issuer}/token`, client, form);
      const token = tokens.access_token;
      if (typeof token !== 'string' || token.split('.').length !== 3)
        throw new Error('expected a JWT access token');
    };
  },
};
