import { describe, expect, it } from '@jest/globals';
import {
  etagForVersion,
  ifMatchSatisfied,
  ifNoneMatchSatisfied,
  parseEntityTags,
} from '../../../../src/domain/scim/model/etag.js';

describe('etagForVersion', () => {
  it('makes a weak tag of the version', () => {
    expect(etagForVersion(7)).toBe('W/"7"');
    expect(etagForVersion('3694e05e9dff591')).toBe('W/"3694e05e9dff591"');
  });

  it('refuses a version that cannot sit in a tag', () => {
    expect(() => etagForVersion('')).toThrow('a version cannot be an entity tag');
    expect(() => etagForVersion('a"b')).toThrow('a version cannot be an entity tag');
    expect(() => etagForVersion('a b')).toThrow('a version cannot be an entity tag');
  });
});

describe('parseEntityTags', () => {
  it('reads *, single tags and lists (RFC 9110 §8.8.3, §13.1.1)', () => {
    expect(parseEntityTags(' * ')).toBe('*');
    expect(parseEntityTags('W/"7"')).toEqual([{ weak: true, opaque: '7' }]);
    expect(parseEntityTags('"a", W/"b" ,"c,d"')).toEqual([
      { weak: false, opaque: 'a' },
      { weak: true, opaque: 'b' },
      { weak: false, opaque: 'c,d' },
    ]);
    expect(parseEntityTags('""')).toEqual([{ weak: false, opaque: '' }]);
  });

  it('gives undefined for malformed values', () => {
    for (const header of ['7', 'W/7', '"7', '"a" "b"', 'w/"7"', '"a",,x', '', '*, "a"']) {
      expect(parseEntityTags(header)).toBeUndefined();
    }
  });
});

describe('ifMatchSatisfied', () => {
  const current = 'W/"7"';

  it('lets a write through without a header, with *, or with the current tag, weak or not', () => {
    expect(ifMatchSatisfied(undefined, current)).toBe(true);
    expect(ifMatchSatisfied('*', current)).toBe(true);
    expect(ifMatchSatisfied('W/"7"', current)).toBe(true);
    expect(ifMatchSatisfied('"7"', current)).toBe(true);
    expect(ifMatchSatisfied('W/"6", W/"7"', current)).toBe(true);
  });

  it('stops a write on a stale or malformed tag', () => {
    expect(ifMatchSatisfied('W/"6"', current)).toBe(false);
    expect(ifMatchSatisfied('W/"70"', current)).toBe(false);
    expect(ifMatchSatisfied('7', current)).toBe(false);
    expect(ifMatchSatisfied('', current)).toBe(false);
  });
});

describe('ifNoneMatchSatisfied', () => {
  const current = 'W/"7"';

  it('is false (304 for GET) when the client holds the current version, or sends *', () => {
    expect(ifNoneMatchSatisfied('W/"7"', current)).toBe(false);
    expect(ifNoneMatchSatisfied('"7"', current)).toBe(false);
    expect(ifNoneMatchSatisfied('W/"1", W/"7"', current)).toBe(false);
    expect(ifNoneMatchSatisfied('*', current)).toBe(false);
  });

  it('is true without a header, for other versions, and for a malformed header', () => {
    expect(ifNoneMatchSatisfied(undefined, current)).toBe(true);
    expect(ifNoneMatchSatisfied('W/"6"', current)).toBe(true);
    expect(ifNoneMatchSatisfied('garbage', current)).toBe(true);
  });
});
