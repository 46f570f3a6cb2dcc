import { boundedMap } from './bounded-map.js';

/**
 * A set of strings that forgets its least recently added member once it holds more than
 * `capacity`: a process's memory of what it already did, for work that is safe to repeat.
 */
export function boundedSet(capacity: number) {
  const members = boundedMap<true>(capacity);
  return {
    has: members.has,
    add: (member: string): void => members.set(member, true),
  };
}
