/**
 * Whether a set of granted permissions covers `needed`. `*` grants everything; `ns:*` grants every
 * permission in that namespace (`claims:*` covers `claims:update`). Resource servers apply the
 * same rule to the `permissions` claim of a token.
 */
export function permits(granted: Iterable<string>, needed: string): boolean {
  for (const permission of granted) {
    if (permission === '*' || permission === needed) return true;
    if (permission.endsWith(':*') && needed.startsWith(permission.slice(0, -1))) return true;
  }
  return false;
}

const PERMISSION = /^(\*|[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*(:\*)?)$/;

/** Permission names: `*`, `name`, `ns:name`, `ns:*`; letters, digits, `_`, `.`, `-`. */
export function isPermissionName(value: string): boolean {
  return value.length <= 128 && PERMISSION.test(value);
}
