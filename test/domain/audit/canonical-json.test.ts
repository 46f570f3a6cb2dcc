import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from '../../../src/domain/audit/canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units at every depth, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: null, y: true }], aa: 'x' })).toBe(
      '{"a":[{"y":true,"z":null}],"aa":"x","b":1}',
    );
    // RFC 8785 §3.2.3: "\u20ac" (€) sorts after "\r" and before the surrogate pair of 😀.
    expect(canonicalJson({ '😀': 1, '€': 2, '\r': 3, '1': 4 })).toBe('{"\\r":3,"1":4,"€":2,"😀":1}');
  });

  it('gives the same text for the same value whatever the member order', () => {
    const a = JSON.parse('{"x":{"b":[1,2],"a":1.5e-7},"y":"é"}') as unknown;
    const b = JSON.parse('{"y":"é","x":{"a":0.00000015,"b":[1,2]}}') as unknown;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"x":{"a":1.5e-7,"b":[1,2]},"y":"é"}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(new Date())).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });
});
