import { describe, expect, it } from '@jest/globals';
import { emailDomain, looksLikeEmail, normalizeEmail } from '../../src/lib/email.js';

describe('email normalization', () => {
  it('gives one spelling per mailbox: NFC, trimmed, lower case', () => {
    const decomposed = 'Rene\u0301@Example.COM ';
    const composed = 're\u00e9@example.com'.replace('re\u00e9', 'ren\u00e9');
    expect(normalizeEmail(decomposed)).toBe(composed);
    expect(normalizeEmail(decomposed)).toBe(normalizeEmail(composed.toUpperCase()));
  });

  it('accepts plausible addresses only', () => {
    expect(looksLikeEmail('a@b.example')).toBe(true);
    expect(looksLikeEmail('no-at-sign.example')).toBe(false);
    expect(looksLikeEmail('two@@example.com')).toBe(false);
    expect(looksLikeEmail(`${'a'.repeat(250)}@b.example`)).toBe(false);
    expect(emailDomain('someone@sub.example.com')).toBe('sub.example.com');
  });
});
