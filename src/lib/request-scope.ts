import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One HTTP request's memo of reads that several steps of it repeat with the same arguments (a
 * sign-in asks for the email domain's verified claims for its routing, its domain policy, its
 * branding and its organization choices). Each such read runs once per request; outside a request
 * (CLI, jobs) it runs every time. oncePerRequest is for reads that no step of a request writes;
 * rememberedInRequest with forgetInRequest for those whose every write forgets them.
 */
const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs one request's handling with a memo of its own. */
export const withRequestScope = <T>(handle: () => T): T => scope.run(new Map(), handle);

/**
 * `read`'s answer for `key`, read once in this request until forgotten (a failed read is not
 * kept); outside a request, read every time.
 */
export function rememberedInRequest<T>(key: string, read: () => Promise<T>): Promise<T> {
  const memo = scope.getStore();
  if (!memo) return read();
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = read();
    memo.set(key, answer);
    answer.catch(() => memo.delete(key));
  }
  return answer;
}

/** Drops what this request remembered for `key`: the code that writes it calls this. */
export function forgetInRequest(key: string): void {
  scope.getStore()?.delete(key);
}

/**
 * Drops everything this request remembered: after a transaction, whose writes no memo's
 * forgetting covers.
 */
export function forgetAllInRequest(): void {
  scope.getStore()?.clear();
}

/** Whether this runs within a request's handling (withRequestScope). */
export const inRequestScope = (): boolean => scope.getStore() !== undefined;

/**
 * `read` answered once per request and key; `forget` drops one key's answer (its writers call
 * it); `prime` keeps an answer another read of the same request already had.
 */
export function oncePerRequest<Args extends unknown[], T>(
  name: string,
  read: (...args: Args) => Promise<T>,
  keyOf: (...args: Args) => string,
): ((...args: Args) => Promise<T>) & { forget(...args: Args): void; prime(answer: T, ...args: Args): void } {
  const keyFor = (args: Args) => `${name}\u0000${keyOf(...args)}`;
  return Object.assign((...args: Args) => rememberedInRequest(keyFor(args), () => read(...args)), {
    forget: (...args: Args) => forgetInRequest(keyFor(args)),
    prime: (answer: T, ...args: Args) => void scope.getStore()?.set(keyFor(args), Promise.resolve(answer)),
  });
}
