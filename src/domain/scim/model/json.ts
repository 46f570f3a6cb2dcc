/** The plain JSON a SCIM resource is made of: what goes over the wire and what a store keeps. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7643 §2.1: attribute names are case-insensitive, so keys are matched that way; the exact one first. */
export function keyOf(object: Readonly<Record<string, unknown>>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

export function getAttribute<T>(object: Readonly<Record<string, T>>, name: string): T | undefined {
  const key = keyOf(object, name);
  return key === undefined ? undefined : object[key];
}
