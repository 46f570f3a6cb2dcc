/**
 * `value`, frozen all the way down: for answers shared between requests, so that a caller that
 * tried to change one in place fails at once instead of changing it for the others. Byte arrays
 * are left as they are (a typed array with elements cannot be frozen).
 */
export function deepFrozen<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value))
    return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFrozen(inner);
  return value;
}
