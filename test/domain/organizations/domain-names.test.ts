import { describe, expect, it } from '@jest/globals';
import {
  challengeName,
  coveringPatterns,
  normalizeDomainPattern,
  patternCovers,
} from '../../../src/domain/organizations/domain-names.js';

describe('domain claims', () => {
  it('normalizes case, a trailing dot and Unicode names to punycode', () => {
    expect(normalizeDomainPattern(' Example.COM. ')).toBe('example.com');
    expect(normalizeDomainPattern('*.Corp.Example.com')).toBe('*.corp.example.com');
    expect(normalizeDomainPattern('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('refuses names that are not claimable domains', () => {
    for (const bad of [
      'com',
      '*.com',
      'localhost',
      '-bad.example',
      'a..b',
      '*.*.example.com',
      'ex ample.com',
      '1.2.3.4',
      '',
    ]) {
      expect(normalizeDomainPattern(bad)).toBeUndefined();
    }
  });

  it('matches a wildcard below its base only, at any depth, and never look-alikes', () => {
    const wildcard = '*.corp.example.com';
    expect(patternCovers(wildcard, 'a.corp.example.com')).toBe(true);
    expect(patternCovers(wildcard, 'x.a.corp.example.com')).toBe(true);
    expect(patternCovers(wildcard, 'corp.example.com')).toBe(false);
    expect(patternCovers(wildcard, 'evilcorp.example.com')).toBe(false);
    expect(patternCovers(wildcard, 'a.corp.example.com.evil.test')).toBe(false);
    expect(patternCovers('corp.example.com', 'corp.example.com')).toBe(true);
    expect(patternCovers('corp.example.com', 'a.corp.example.com')).toBe(false);
    expect(patternCovers(wildcard, 'A.CORP.Example.com')).toBe(true);
  });

  it('lists covering claims most specific first, never a bare TLD wildcard', () => {
    expect(coveringPatterns('a.b.example.com')).toEqual([
      'a.b.example.com',
      '*.b.example.com',
      '*.example.com',
    ]);
    expect(coveringPatterns('example.com')).toEqual(['example.com']);
    expect(coveringPatterns('not a domain')).toEqual([]);
  });

  it('puts the challenge record under the base name of a wildcard', () => {
    expect(challengeName('example.com')).toBe('_gatehouse-challenge.example.com');
    expect(challengeName('*.corp.example.com')).toBe('_gatehouse-challenge.corp.example.com');
  });
});
