import { describe, expect, it } from '@jest/globals';
import { createConfigurationCache } from '../../../src/data/sql/configuration-cache.js';

/** A read that counts its calls and answers a fresh object each time. */
function countingRead(answer: () => unknown = () => ({ value: 'v', list: [1, 2] })) {
  const read = async () => {
    read.calls += 1;
    return answer();
  };
  read.calls = 0;
  return read;
}

describe('configuration cache', () => {
  it('keeps nothing until it is listening, then shares one answer per key', async () => {
    const cache = createConfigurationCache();
    const read = countingRead();
    await cache.remembered('k', read);
    await cache.remembered('k', read);
    expect(read.calls).toBe(2);

    cache.setListening(true);
    const [first, second] = await Promise.all([cache.remembered('k', read), cache.remembered('k', read)]);
    expect(read.calls).toBe(3);
    expect(second).toBe(first);
    await cache.remembered('other', read);
    expect(read.calls).toBe(4);
  });

  it('forgets everything on a change, and when listening stops', async () => {
    const cache = createConfigurationCache();
    cache.setListening(true);
    const read = countingRead();
    await cache.remembered('k', read);
    cache.forgetAll();
    await cache.remembered('k', read);
    expect(read.calls).toBe(2);

    cache.setListening(false);
    await cache.remembered('k', read);
    await cache.remembered('k', read);
    expect(read.calls).toBe(4);
  });

  it('forgets a read still in flight when a change is announced meanwhile', async () => {
    const cache = createConfigurationCache();
    cache.setListening(true);
    let release: (value: string) => void = () => {};
    const slow = cache.remembered('k', () => new Promise<string>((resolve) => (release = resolve)));
    cache.forgetAll();
    release('before the change');
    expect(await slow).toBe('before the change');
    expect(await cache.remembered('k', async () => 'after the change')).toBe('after the change');
  });

  it('forgets only the answers kept with a tag when that tag is forgotten', async () => {
    const cache = createConfigurationCache();
    cache.setListening(true);
    const read = countingRead();
    await cache.remembered('config', read);
    await cache.remembered('ann in org-a', read, ['memberships', 'user:ann']);
    await cache.remembered('ann in org-b', read, ['memberships', 'user:ann']);
    await cache.remembered('bob in org-a', read, ['memberships', 'user:bob']);
    expect(read.calls).toBe(4);

    cache.forget('user:ann');
    for (const key of ['config', 'ann in org-a', 'ann in org-b', 'bob in org-a']) {
      await cache.remembered(key, read, key === 'config' ? [] : ['memberships', `user:${key.split(' ')[0]}`]);
    }
    expect(read.calls).toBe(6); // ann's two again; bob's and the untagged one kept

    cache.forget('memberships');
    await cache.remembered('bob in org-a', read, ['memberships', 'user:bob']);
    await cache.remembered('config', read);
    expect(read.calls).toBe(7);

    cache.forgetAll();
    cache.forget('user:ann'); // nothing left under it: no effect
    await cache.remembered('ann in org-a', read, ['user:ann']);
    expect(read.calls).toBe(8);
  });

  it('does not keep a failed read', async () => {
    const cache = createConfigurationCache();
    cache.setListening(true);
    await expect(cache.remembered('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.remembered('k', async () => 'up')).toBe('up');
  });

  it('bounds the age and the number of answers', async () => {
    let now = 0;
    const cache = createConfigurationCache({ maxAgeMs: 1_000, maxEntries: 2, now: () => now });
    cache.setListening(true);
    const read = countingRead();
    await cache.remembered('a', read);
    now = 999;
    await cache.remembered('a', read);
    expect(read.calls).toBe(1);
    now = 1_000;
    await cache.remembered('a', read);
    expect(read.calls).toBe(2);

    await cache.remembered('b', read);
    await cache.remembered('c', read); // the third key: the oldest answer ('a') is forgotten
    expect(read.calls).toBe(4);
    await cache.remembered('b', read);
    await cache.remembered('c', read);
    expect(read.calls).toBe(4);
    await cache.remembered('a', read); // read again, and 'b' goes in its place
    await cache.remembered('c', read);
    expect(read.calls).toBe(5);
    await cache.remembered('b', read);
    expect(read.calls).toBe(6);
  });

  it('freezes a shared answer, deeply, so that no caller changes it for the others', async () => {
    const cache = createConfigurationCache();
    cache.setListening(true);
    const answer = (await cache.remembered('k', async () => ({
      settings: { issuer: 'https://idp.example' },
      roles: ['a', 'b'],
      at: new Date(0),
      bytes: Buffer.from('ok'),
    }))) as { settings: { issuer: string }; roles: string[]; bytes: Buffer };
    expect(() => {
      answer.settings.issuer = 'https://evil.example';
    }).toThrow(TypeError);
    expect(() => answer.roles.push('admin')).toThrow(TypeError);
    expect(answer.roles).toEqual(['a', 'b']);
    expect(answer.bytes.toString()).toBe('ok');
  });
});
