import type { Prisma } from './prisma-client.js';

/**
 * Json columns hold plain JSON objects. The copy drops `undefined` members and class instances
 * the same way the database would, so what is written equals what is read back.
 */
export function toJsonColumn(value: Record<string, unknown>): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export function fromJsonColumn(value: Prisma.JsonValue): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('expected a JSON object in a Json column');
  }
  return value as Record<string, unknown>;
}
