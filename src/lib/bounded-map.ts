/**
 * A map from strings that forgets its least recently set entry once it holds more than
 * `capacity`: a process's bounded memory of what it already worked out.
 */
export function boundedMap<V>(capacity: number) {
  const entries = new Map<string, V>();
  return {
    get: (key: string): V | undefined => entries.get(key),
    has: (key: string): boolean => entries.has(key),
    set(key: string, value: V): void {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
  };
}
