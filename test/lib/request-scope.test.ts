import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import {
  forgetAllInRequest,
  inRequestScope,
  oncePerRequest,
  withRequestScope,
} from '../../src/lib/request-scope.js';
import { signInScope } from '../../src/http/middleware/sign-in-scope.js';

/** A read that counts its calls per argument. */
function countingRead() {
  const calls: string[] = [];
  const read = async (id: string) => {
    calls.push(id);
    return { id, at: calls.length };
  };
  return { calls, read };
}

describe('request scope', () => {
  it('reads every time outside a request', async () => {
    const { calls, read } = countingRead();
    const memoized = oncePerRequest('thing', read, (id) => id);
    await memoized('a');
    await memoized('a');
    expect(calls).toEqual(['a', 'a']);
  });

  it('forgets everything the request remembered at once, and nothing of another request', async () => {
    const { calls, read } = countingRead();
    const things = oncePerRequest('thing', read, (id) => id);
    const others = oncePerRequest('other', read, (id) => id);
    forgetAllInRequest();
    await withRequestScope(async () => {
      await Promise.all([things('a'), others('b')]);
      await withRequestScope(async () => {
        await things('c');
        forgetAllInRequest();
      });
      await Promise.all([things('a'), others('b')]);
      forgetAllInRequest();
      await Promise.all([things('a'), others('b')]);
    });
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('keeps a primed answer and drops a forgotten one, within a request only', async () => {
    const { calls, read } = countingRead();
    const memoized = oncePerRequest('thing', read, (id) => id);
    memoized.prime({ id: 'a', at: 0 }, 'a');
    expect(await memoized('a')).toEqual({ id: 'a', at: 1 });
    await withRequestScope(async () => {
      expect(inRequestScope()).toBe(true);
      memoized.prime({ id: 'a', at: 0 }, 'a');
      expect(await memoized('a')).toEqual({ id: 'a', at: 0 });
      memoized.forget('a');
      expect(await memoized('a')).toEqual({ id: 'a', at: 2 });
      expect(await memoized('a')).toEqual({ id: 'a', at: 2 });
    });
    expect(inRequestScope()).toBe(false);
    expect(calls).toEqual(['a', 'a']);
  });

  it('reads once per key within one request, and again in the next', async () => {
    const { calls, read } = countingRead();
    const memoized = oncePerRequest('thing', read, (id) => id);
    const first = await withRequestScope(async () => {
      const [one, two] = await Promise.all([memoized('a'), memoized('a')]);
      expect(two).toBe(one);
      await memoized('b');
      return one;
    });
    const second = await withRequestScope(() => memoized('a'));
    expect(calls).toEqual(['a', 'b', 'a']);
    expect(second).not.toBe(first);
  });

  it('keeps requests running at the same time apart', async () => {
    const { calls, read } = countingRead();
    const memoized = oncePerRequest('thing', read, (id) => id);
    await Promise.all([withRequestScope(() => memoized('a')), withRequestScope(() => memoized('a'))]);
    expect(calls).toEqual(['a', 'a']);
  });

  it('does not keep a failed read', async () => {
    let attempts = 0;
    const memoized = oncePerRequest(
      'flaky',
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('connection reset');
        return 'ok';
      },
      () => '',
    );
    await withRequestScope(async () => {
      await expect(memoized()).rejects.toThrow('connection reset');
      await expect(memoized()).resolves.toBe('ok');
    });
    expect(attempts).toBe(2);
  });

  it('keeps reads of different names apart under the same key', async () => {
    const first = countingRead();
    const second = countingRead();
    const one = oncePerRequest('one', first.read, (id) => id);
    const two = oncePerRequest('two', second.read, (id) => id);
    await withRequestScope(async () => {
      await one('a');
      await two('a');
    });
    expect([first.calls, second.calls]).toEqual([['a'], ['a']]);
  });
});

describe('sign-in scope', () => {
  const paths = {
    authorization: '/auth',
    token: '/token',
    introspection: '/token/introspection',
    userinfo: '/me',
  };

  async function readsFor(path: string): Promise<number> {
    const { calls, read } = countingRead();
    const memoized = oncePerRequest('thing', read, (id) => id);
    const app = new Koa();
    app.use(signInScope(paths));
    app.use(async (ctx) => {
      await memoized('a');
      await memoized('a');
      ctx.body = 'done';
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(await response.text()).toBe('done');
    } finally {
      server.close();
    }
    return calls.length;
  }

  it('reads once per request on the sign-in and token paths', async () => {
    for (const path of [
      '/interaction/abc',
      '/sso/oidc/con_1/callback',
      '/auth',
      '/auth/abc',
      '/token',
      '/token/introspection',
      '/me',
    ]) {
      expect([path, await readsFor(path)]).toEqual([path, 1]);
    }
  });

  it('reads fresh on admin, SCIM, portal and account paths, which write what sign-ins read', async () => {
    for (const path of [
      '/admin/v1/organizations',
      '/scim/v2/dir/Users',
      '/portal',
      '/account/security',
      '/authx',
      '/token/revocation',
    ]) {
      expect([path, await readsFor(path)]).toEqual([path, 2]);
    }
  });
});
