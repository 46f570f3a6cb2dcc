import { describe, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { openRedis } from '../../../src/data/redis/index.js';
import { deleteRedisKeys } from '../../support/redis-cleanup.js';
import { testRedisUrl, uniqueRedisPrefix } from '../../support/services.js';
import { expectRejection } from './support/expect-rejection.js';
import { respond } from './support/respond.js';
import { describeRequestCorrelation } from './support/request-correlation-contract.js';
import { samlConnection, testSp } from './support/saml-context.js';

describeRequestCorrelation('in-process store', async () => ({
  store: createMemoryEphemeralStore(),
  close: async () => {},
}));

describeRequestCorrelation('Redis', async () => {
  const prefix = uniqueRedisPrefix();
  const redis = openRedis(testRedisUrl(), { keyPrefix: prefix });
  return {
    store: redis.ephemeralStore(),
    close: async () => {
      await redis.close();
      await deleteRedisKeys(testRedisUrl(), prefix);
    },
  };
});

describe('SAML request lifetime', () => {
  it('forgets a request after 10 minutes', async () => {
    const t = testSp();
    const connection = samlConnection();
    const { requestId } = await t.sp.startLogin(connection, 'slow');
    t.advance(601_000);
    const { form } = await respond(t.shape({ inResponseTo: requestId }));
    await expectRejection(
      t.sp.acceptResponse(connection, { ...form, RelayState: 'slow' }),
      'unknown_request',
    );
  });
});
