/**
 * A set of strings that forgets its least recently added member once it holds more than
 * `capacity`: a process's memory of what it already did, for work that is safe to repeat.
 */
export function boundedSet(capacity: number) {
  const members = new Set<string>();
  return {
    has: (member: string): boolean => members.has(member),
    add(member: string): void {
      members.delete(member);
      members.add(member);
      if (members.size > capacity) members.delete(members.values().next().value as string);
    },
  };
}
