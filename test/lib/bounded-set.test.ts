import { describe, expect, it } from '@jest/globals';
import { boundedSet } from '../../src/lib/bounded-set.js';

describe('boundedSet', () => {
  it('forgets the least recently added member past its capacity', () => {
    const set = boundedSet(2);
    set.add('a');
    set.add('b');
    set.add('a');
    set.add('c');
    expect(['a', 'b', 'c'].filter((member) => set.has(member))).toEqual(['a', 'c']);
  });
});
