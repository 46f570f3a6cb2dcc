/**
 * RFC 8785 (JSON Canonicalization Scheme) for plain JSON values: members sorted by the UTF-16
 * code units of their names, no whitespace, strings and numbers as ECMAScript serializes them.
 * PostgreSQL's jsonb keeps neither member order nor the text as written, so a hash over the JSON
 * that went in could never be checked against the value that comes back; over this form it can.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no form for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && isPlainObject(value)) {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      // Default sort order compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no form for ${typeof value}`);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
