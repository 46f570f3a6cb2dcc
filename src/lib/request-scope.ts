import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One HTTP request's memo of reads that several steps of it repeat with the same arguments (a
 * sign-in asks for the email domain's verified claims for its routing, its domain policy, its
 * branding and its organization choices). Each such read runs once per request; outside a request
 * (CLI, jobs) it runs every time. Only for reads that no step of a request writes before reading
 * again: the memo is never invalidated within its request.
 */
const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs one request's handling with a memo of its own. */
export const withRequestScope = <T>(handle: () => T): T => scope.run(new Map(), handle);

/** `read` answered once per request and key (a failed read is not kept). */
export function oncePerRequest<Args extends unknown[], T>(
  name: string,
  read: (...args: Args) => Promise<T>,
  keyOf: (...args: Args) => string,
): (...args: Args) => Promise<T> {
  return (...args) => {
    const memo = scope.getStore();
    if (!memo) return read(...args);
    const key = `${name}\u0000${keyOf(...args)}`;
    let answer = memo.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = read(...args);
      memo.set(key, answer);
      answer.catch(() => memo.delete(key));
    }
    return answer;
  };
}
